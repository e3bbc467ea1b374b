"""`get_<field>_display()` of zone-scoped models reads a per-language dict of the labels
(core.models.access.ZoneScopedModel): the label of the active language, the raw value when it
is not a choice, as Django's own."""

from django.utils import translation

from gaoxin.investment.models import Project


def test_the_label_follows_the_active_language():
    project = Project(stage="lead")
    with translation.override("zh-hans"):
        assert project.get_stage_display() == "线索"
    with translation.override("en"):
        assert project.get_stage_display() == "Lead"
    with translation.override("zh-hans"):
        assert project.get_stage_display() == "线索"


def test_a_value_that_is_not_a_choice_reads_as_itself():
    assert Project(stage="nonsense").get_stage_display() == "nonsense"
    assert Project(stage=None).get_stage_display() is None
