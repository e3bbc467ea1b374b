"""What is recorded on a project after signing: the commitment, funds in place, documents."""

import re
from decimal import Decimal
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from ninja import Body, Field, File, Form, Query, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import ConfigDict

from gaoxin.core.api import (
    WRITE_ERRORS,
    Count,
    DeleteIn,
    DeleteQuery,
    ErrorOut,
    Input,
    Int,
    IsoDate,
    PathId,
    delete_reason,
    valid_id,
)
from gaoxin.core.models.access import CHANGE, VIEW

from .. import services
from ..models import Commitment, Document, FundsEntry
from .common import Money, SourceCode, check_may, router
from .detail import (
    DocumentOut,
    FundsOut,
    ProjectDetailOut,
    detail_response,
    document_out,
    funds_out,
)


class CommitmentIn(Input):
    """The whole commitment: fields left out are cleared."""

    model_config = ConfigDict(extra="forbid")

    investment: Money | None = None
    funds_in_place: Money | None = None
    funds_by: IsoDate | None = None
    start_by: IsoDate | None = None
    production_by: IsoDate | None = None
    land_mu: Decimal | None = Field(None, description="亩")
    annual_output: Money | None = None
    annual_tax: Money | None = None
    jobs: Count | None = None
    note: str = ""
    version: Int | None = Field(
        None, description="承诺的版本(详情中 commitment.version);修改已有承诺时必填"
    )


class FundsIn(Input):
    model_config = ConfigDict(extra="forbid")

    on: IsoDate
    amount: Money
    source: SourceCode = FundsEntry.Source.OUT_OF_PROVINCE.value
    note: str = ""


@router.put(
    "/projects/{int:project_id}/commitment",
    response={200: ProjectDetailOut, **WRITE_ERRORS},
    summary="登记或修改投资承诺(签约后)",
)
def save_commitment(request, response: HttpResponse, project_id: PathId, payload: CommitmentIn):
    user = request.auth
    data = payload.model_dump()
    version = data.pop("version")
    check_may(user, project_id, CHANGE)
    if version is None and Commitment.objects.filter(project_id=project_id).exists():
        raise ValidationError(
            {"version": _("该项目已有投资承诺,请提供其版本号(commitment.version)")}
        )
    services.save_commitment(user, project_id, data, version=version)
    return detail_response(response, user, project_id)


@router.post(
    "/projects/{int:project_id}/funds",
    response={201: FundsOut, **WRITE_ERRORS},
    summary="登记实际到位资金",
)
def add_funds(request, project_id: PathId, payload: FundsIn):
    user = request.auth
    check_may(user, project_id, CHANGE)
    entry = services.add_funds(
        user,
        project_id,
        on=payload.on,
        amount=payload.amount,
        source=payload.source,
        note=payload.note,
    )
    return Status(201, funds_out(entry))


@router.delete(
    "/funds/{int:funds_id}",
    response={204: None, **WRITE_ERRORS},
    summary="删除到位资金记录(必须说明理由)",
)
def delete_funds(
    request, funds_id: PathId, params: Query[DeleteQuery], payload: Body[DeleteIn | None] = None
):
    user = request.auth
    reason = delete_reason(params, payload)
    services.delete_funds(user, valid_id(funds_id, FundsEntry), reason=reason)
    return Status(204, None)


# --- documents ------------------------------------------------------------------------------


def documents(user, action: str = VIEW):
    """The documents `user` may `action`: of projects not deleted, and not deleted themselves."""
    return Document.objects.restrict(user, action).filter(
        is_deleted=False, project__is_deleted=False
    )


@router.post(
    "/projects/{int:project_id}/documents",
    response={201: DocumentOut, **WRITE_ERRORS},
    summary="上传项目材料(PDF、图片、Word、Excel,按内容识别类型)",
)
def upload_document(
    request,
    response: HttpResponse,
    project_id: PathId,
    kind: Form[str],
    file: File[UploadedFile],
):
    user = request.auth
    check_may(user, project_id, CHANGE)
    document = services.add_document(user, project_id, kind=kind.strip(), upload=file)
    response["Location"] = f"/api/v1/investment/documents/{document.pk}"
    return Status(201, document_out(document))


def content_disposition(name: str, pk: int) -> str:
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "", name).strip(" .")
    ext = name.rpartition(".")[2] if "." in name else ""
    if not fallback or fallback.startswith(".") or fallback != name:
        fallback = f"document-{pk}" + (f".{re.sub(r'[^A-Za-z0-9]', '', ext)}" if ext else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@router.get(
    "/documents/{int:document_id}",
    response={401: ErrorOut, 404: ErrorOut},
    summary="下载项目材料",
    openapi_extra={
        "responses": {
            200: {
                "description": "文件内容(附件)",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def download_document(request, document_id: PathId):
    document = documents(request.auth).filter(pk=valid_id(document_id, Document)).first()
    if document is None:
        raise Document.DoesNotExist()
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise HttpError(404, _("材料文件已丢失,请重新上传")) from None
    response = FileResponse(handle, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition(document.name, document.pk)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@router.delete(
    "/documents/{int:document_id}",
    response={204: None, **WRITE_ERRORS},
    summary="删除项目材料",
)
def delete_document(
    request, document_id: PathId, params: Query[DeleteQuery], payload: Body[DeleteIn | None] = None
):
    user = request.auth
    reason = delete_reason(params, payload)
    services.delete_document(user, valid_id(document_id, Document), reason=reason)
    return Status(204, None)
