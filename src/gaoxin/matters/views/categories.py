"""The categories page (分类与时限): the zone's categories by kind with their service level and
default department. Zone admins edit them and add their own; staff, leaders and the province
read; enterprise users get 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.forms import style_form
from gaoxin.core.models import Department
from gaoxin.core.models.access import CHANGE, VIEW
from gaoxin.core.pages import zone_for

from .. import catalogue
from .. import categories as services
from ..models import Category, Kind
from .common import submit


class CategoryForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("事项类型"), choices=Kind.choices)
    name = forms.CharField(label=gettext_lazy("分类名称"), max_length=50)
    service_days = forms.IntegerField(
        label=gettext_lazy("办理时限(工作日)"),
        min_value=1,
        max_value=365,
        error_messages={
            "min_value": gettext_lazy("办理时限应为 1 到 365 个工作日"),
            "max_value": gettext_lazy("办理时限应为 1 到 365 个工作日"),
            "invalid": gettext_lazy("请填写整数"),
        },
    )
    department = forms.ModelChoiceField(
        label=gettext_lazy("默认责任部门"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=gettext_lazy("(不指定,由管理员分派)"),
    )
    order = forms.IntegerField(label=gettext_lazy("排序"), min_value=0, max_value=999, initial=0)
    is_active = forms.BooleanField(label=gettext_lazy("启用"), required=False, initial=True)

    def __init__(self, *args, zone, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(zone=zone).order_by("name")
        if editing is not None:
            del self.fields["kind"]
        style_form(self)


@login_required
def category_list(request):
    zone = zone_for(request, Category, VIEW)
    catalogue.ensure_categories(zone)
    rows = Category.objects.filter(zone=zone).select_related("department")
    groups = []
    for kind in Kind:
        items = [c for c in rows if c.kind == kind]
        groups.append({"kind": kind, "label": kind.label, "items": items})
    context = {
        "nav": "categories",
        "zone": zone,
        "groups": groups,
        "can_edit": services.may_edit(request.user, zone),
    }
    return render(request, "matters/category_list.html", context)


def _form_page(request, zone, form, save, done, category=None):
    """The add / change page: a valid POST runs `save` (the service) and goes back to the list
    with `done`; errors stay on the form (400, as this page has always answered them)."""
    if request.method == "POST" and submit(form, save)[1] is None:
        messages.success(request, done % {"n": form.cleaned_data["name"]})
        return redirect("matters:categories")
    context = {"nav": "categories", "zone": zone, "form": form, "category": category}
    status = 400 if form.errors else 200
    return render(request, "matters/category_form.html", context, status=status)


@login_required
def category_edit(request, pk):
    zone = zone_for(request, Category, CHANGE)  # the zone's admins
    category = Category.objects.filter(pk=pk, zone=zone).select_related("department").first()
    if category is None:
        raise Http404(_("未找到该分类"))
    initial = {f: getattr(category, f) for f in services.FIELDS}
    form = CategoryForm(request.POST or None, zone=zone, editing=category, initial=initial)

    def save(data):
        services.update_category(request.user, category, **data)

    return _form_page(request, zone, form, save, _("已保存分类“%(n)s”"), category)


@login_required
def category_create(request):
    zone = zone_for(request, Category, CHANGE)  # the zone's admins
    initial = {"kind": request.GET.get("kind") or Kind.HELP, "service_days": 10}
    form = CategoryForm(request.POST or None, zone=zone, initial=initial)

    def save(data):
        services.create_category(request.user, zone, **data)

    return _form_page(request, zone, form, save, _("已添加分类“%(n)s”"))


urlpatterns = [
    path("categories/", category_list, name="categories"),
    path("categories/new/", category_create, name="category_create"),
    path("categories/<int:pk>/", category_edit, name="category_edit"),
]
