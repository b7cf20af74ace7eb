from .context import request_ip


class AuditContextMiddleware:
    """Make the client's address known to audit_record() for the length of a request, so that
    services record it without taking the request as an argument."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            request_ip.reset(token)
