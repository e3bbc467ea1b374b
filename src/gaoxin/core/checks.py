"""System checks: settings the platform refuses to start with (run by `gaoxin serve`, migrate,
runserver and `gaoxin check`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.module_loading import import_string

from .retention import FLOOR_DAYS


@register(Tags.security)
def audit_retention(app_configs=None, **kwargs):
    days = getattr(settings, "AUDIT_RETENTION_DAYS", None)
    if isinstance(days, int) and not isinstance(days, bool) and days >= FLOOR_DAYS:
        return []
    return [
        Error(
            f"AUDIT_RETENTION_DAYS={days!r}: 审计记录至少保存 {FLOOR_DAYS} 天(等保2.0 要求不少于六个月)。",
            hint=f"把环境变量 AUDIT_RETENTION_DAYS 设为不小于 {FLOOR_DAYS} 的整数(默认 1095)。",
            obj="settings.AUDIT_RETENTION_DAYS",
            id="core.E001",
        )
    ]


@register()
def module_declarations(app_configs=None, **kwargs):
    """Every installed module's declaration resolves (core.modules): each dotted path imports,
    each template exists, each demo dependency is installed and acyclic, no import kind is
    claimed twice. A new module that gets its declaration wrong fails `gaoxin check` (and so
    migrate and serve), not a page at run time."""
    from . import modules

    errors = []

    def error(module, what, exc):
        errors.append(
            Error(f"模块 {module.label} 的声明有误:{what}({exc})", obj=module, id="core.E002")
        )

    kinds: dict[str, str] = {}
    for module in modules.installed():
        paths = [router for _prefix, router in module.api_routers]
        paths += list(module.import_targets.values())
        paths += [p for p in (module.demo_step, module.daily_job) if p]
        if module.url_prefix:
            paths.append(f"{module.urls}.urlpatterns")
        for kind in ("home_cards", "enterprise_panels", "project_panels"):
            for block in getattr(module, kind):
                paths.append(block.context)
                try:
                    get_template(block.template)
                except TemplateDoesNotExist as exc:
                    error(module, f"{kind} 模板 {block.template}", exc)
        for path in paths:
            try:
                import_string(path)
            except ImportError as exc:
                error(module, path, exc)
        if module.menu and module.url_prefix is None:
            error(module, "menu", "有菜单项却没有 url_prefix")
        for kind in module.import_targets:
            if kind in kinds:
                error(module, f"import_targets[{kind!r}]", f"已由 {kinds[kind]} 声明")
            kinds[kind] = module.label
    try:
        modules.in_dependency_order(modules.installed())
    except ValueError as exc:
        errors.append(Error(f"模块的演示数据依赖有误:{exc}", id="core.E002"))
    return errors
