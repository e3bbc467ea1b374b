import pytest
from django.urls import reverse

from gaoxin.core.models import AuditRecord, Tag

pytestmark = pytest.mark.django_db


def test_zone_admin_adds_and_removes_a_tag(client, world):
    client.force_login(world.zone_admin)
    client.post(reverse("tags"), {"name": " 新材料 ", "category": "industry_chain"})
    tag = Tag.objects.get(zone=world.zone_a, name="新材料")
    assert AuditRecord.objects.for_object(tag).get().action == "create"
    response = client.post(reverse("tags"), {"name": "新材料"}, follow=True)
    assert "本园区已有标签「新材料」" in response.content.decode()
    assert Tag.objects.filter(zone=world.zone_a, name="新材料").count() == 1
    client.post(reverse("tag_delete", args=[tag.pk]))
    assert not Tag.objects.filter(pk=tag.pk).exists()


@pytest.mark.parametrize("role", ["staff", "leader", "enterprise", "province"])
def test_others_cannot_touch_tags(client, world, role):
    client.force_login(world.users[role])
    assert client.post(reverse("tags"), {"name": "偷偷加"}).status_code == 404
    assert client.post(reverse("tag_delete", args=[world.tag_a.pk])).status_code == 404
    assert set(Tag.objects.values_list("name", flat=True)) == {"电子信息"}


def test_zone_admin_cannot_delete_another_zones_tag(client, world):
    other = Tag.objects.create(zone=world.zone_b, name="纺织服装")
    client.force_login(world.zone_admin)
    assert client.post(reverse("tag_delete", args=[other.pk])).status_code == 404
    assert Tag.objects.filter(pk=other.pk).exists()
