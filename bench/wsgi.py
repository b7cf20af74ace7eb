"""The project's WSGI application as the benchmark serves it: unchanged, except that a request
carrying `X-Bench-Queries: 1` gets the number of SQL queries it ran in an `X-Bench-Queries`
response header. The load generator never sends that header, so the measured requests take the
plain path (one dictionary lookup more)."""

from django.db import connection

from nrm.wsgi import application as django_application


def application(environ, start_response):
    if environ.get("HTTP_X_BENCH_QUERIES") != "1":
        return django_application(environ, start_response)
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    def counted_start_response(status, headers, exc_info=None):
        # Django starts the response once the view and the middleware are done.
        return start_response(status, [*headers, ("X-Bench-Queries", str(count))], exc_info)

    with connection.execute_wrapper(counter):
        return django_application(environ, counted_start_response)
