"""Per-request context the audit trail records (request id, client address)."""

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="")
client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
