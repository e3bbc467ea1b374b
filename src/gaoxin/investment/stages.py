"""The stage rules of a project, in one place: pages, API, importer and demo all move projects
through `apply_move`, so a rule holds however the move arrives.

Forward: 线索, 考察 and 洽谈 may be skipped on the way to 签约 (a 以商招商 lead can go straight to
negotiation), but 开工 needs 签约 and 投产 needs 开工. Back: only with a reason, and the later
stages' dates are cleared. 暂缓 and 终止 need a reason; a project on hold resumes where it stopped
(or further on). 终止 is final; 投产 can only be corrected back. Dates may be back-filled but
never lie in the future nor before the previous move.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import MILESTONE_FIELD, ORDER, PIPELINE, Project, Stage, StageEvent

# Stages a project may be registered at.
ENTRY_STAGES = (Stage.LEAD, Stage.VISIT, Stage.NEGOTIATION, Stage.SIGNED)
# A forward move into these needs the stage before it first.
NEEDS_PREVIOUS = {Stage.STARTED: Stage.SIGNED, Stage.PRODUCTION: Stage.STARTED}


def label(stage: str) -> str:
    return str(Stage(stage).label) if stage in Stage.values else stage


def classify(project: Project, target: str) -> str:
    """The kind of event moving `project` to `target` would be; raises ValidationError if the
    move is not allowed at all (dates and reasons are checked by `apply_move`)."""
    current = project.stage
    if target not in Stage.values:
        raise ValidationError({"stage": _("无效的阶段 %(s)s") % {"s": target}})
    if current == Stage.DROPPED:
        raise ValidationError({"stage": _("项目已终止,不能再变更阶段;如需重启请新建项目")})
    if target == current:
        raise ValidationError({"stage": _("项目已处于「%(s)s」阶段") % {"s": label(target)}})
    if target in (Stage.ON_HOLD, Stage.DROPPED):
        if current == Stage.PRODUCTION:
            raise ValidationError({"stage": _("已投产的项目不能暂缓或终止")})
        return StageEvent.Kind.HOLD if target == Stage.ON_HOLD else StageEvent.Kind.DROP
    line = project.line_stage
    if ORDER[target] < ORDER[line]:
        return StageEvent.Kind.BACK
    if ORDER[target] == ORDER[line]:
        return StageEvent.Kind.RESUME  # only reachable from 暂缓
    needed = NEEDS_PREVIOUS.get(target)
    if needed and line != needed:
        raise ValidationError(
            {
                "stage": _("「%(t)s」只能从「%(n)s」推进(当前为「%(c)s」),请先登记%(n)s")
                % {"t": label(target), "n": label(needed), "c": label(line)}
            }
        )
    return StageEvent.Kind.RESUME if current == Stage.ON_HOLD else StageEvent.Kind.FORWARD


NEEDS_REASON = {StageEvent.Kind.BACK, StageEvent.Kind.HOLD, StageEvent.Kind.DROP}


def allowed_targets(project: Project) -> list[tuple[str, str, bool]]:
    """(stage, kind, needs a reason) for every move the project may make now."""
    moves = []
    for stage in Stage.values:
        try:
            kind = classify(project, stage)
        except ValidationError:
            continue
        moves.append((stage, kind, kind in NEEDS_REASON))
    return moves


def check_date(project: Project, on, today: datetime.date) -> None:
    if not isinstance(on, datetime.date):
        raise ValidationError({"on": _("请填写日期(YYYY-MM-DD)")})
    if on > today:
        raise ValidationError({"on": _("日期 %(d)s 晚于今天(%(t)s)") % {"d": on, "t": today}})
    if project.stage_on and on < project.stage_on:
        raise ValidationError(
            {
                "on": _("日期 %(d)s 早于上一阶段「%(s)s」的日期 %(p)s")
                % {"d": on, "s": label(project.stage), "p": project.stage_on}
            }
        )


def _check_note(note: str) -> str:
    """A stage event's note fits its 500 characters: a longer one is refused, never cut."""
    if len(note) > 500:
        raise ValidationError({"note": _("说明不超过 500 个字")})
    return note


def apply_move(
    project: Project, target: str, *, on, note: str = "", actor=None, today: datetime.date
) -> StageEvent:
    """Move `project` (in memory) to `target` on date `on`; return the unsaved event.

    Raises ValidationError keyed by "stage", "on" or "note" when a rule is broken.
    """
    kind = classify(project, target)
    check_date(project, on, today)
    note = (note or "").strip()
    if kind in NEEDS_REASON and not note:
        reasons = {
            StageEvent.Kind.BACK: _("退回到「%(s)s」必须说明原因") % {"s": label(target)},
            StageEvent.Kind.HOLD: _("暂缓必须说明原因"),
            StageEvent.Kind.DROP: _("终止必须说明原因"),
        }
        raise ValidationError({"note": reasons[kind]})
    _check_note(note)
    line = project.line_stage
    current = project.stage
    if kind == StageEvent.Kind.BACK:
        for stage in PIPELINE[ORDER[target] + 1 :]:
            setattr(project, MILESTONE_FIELD[stage], None)
    if kind in (StageEvent.Kind.FORWARD, StageEvent.Kind.RESUME) and target != line:
        setattr(project, MILESTONE_FIELD[target], on)
    if kind == StageEvent.Kind.BACK and getattr(project, MILESTONE_FIELD[target]) is None:
        setattr(project, MILESTONE_FIELD[target], on)
    project.halted_from = line if kind in (StageEvent.Kind.HOLD, StageEvent.Kind.DROP) else ""
    project.stage, project.stage_on = target, on
    return StageEvent(
        zone_id=project.zone_id,
        project=project,
        kind=kind,
        from_stage=current,
        stage=target,
        on=on,
        note=note,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "",
    )


def enter(
    project: Project, stage: str, *, on, note: str = "", actor=None, today: datetime.date
) -> StageEvent:
    """Register a new project at `stage` (线索, 考察, 洽谈 or 签约) on date `on`."""
    if stage not in ENTRY_STAGES:
        raise ValidationError(
            {
                "stage": _("新项目只能登记为%(s)s阶段")
                % {"s": "、".join(f"「{label(s)}」" for s in ENTRY_STAGES)}
            }
        )
    project.stage_on = None
    check_date(project, on, today)
    project.stage, project.stage_on, project.halted_from = stage, on, ""
    setattr(project, MILESTONE_FIELD[stage], on)
    return StageEvent(
        zone_id=project.zone_id,
        project=project,
        kind=StageEvent.Kind.ENTER,
        from_stage="",
        stage=stage,
        on=on,
        note=_check_note((note or "").strip()),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "",
    )


def timeline(project: Project, events, today: datetime.date) -> list[dict]:
    """The stage history with the days spent in each stage (until the next move, or until today
    for the current stage of an open project)."""
    events = list(events)
    rows = []
    for i, event in enumerate(events):
        if i + 1 < len(events):
            days = (events[i + 1].on - event.on).days
        elif event.stage in (Stage.PRODUCTION, Stage.DROPPED):
            days = None
        else:
            days = (today - event.on).days
        rows.append({"event": event, "days": days, "current": i == len(events) - 1})
    return rows
