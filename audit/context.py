from contextvars import ContextVar

# The address of the client whose request is being handled (None in tasks and commands).
request_ip: ContextVar[str | None] = ContextVar("request_ip", default=None)
