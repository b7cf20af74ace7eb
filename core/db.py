"""A time limit for the database work a user can trigger at will (a duplicate search over
every person), so that no input keeps PostgreSQL busy for minutes."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cut by statement_timeout


@contextmanager
def statement_timeout(seconds: float, message: str):
    """The queries inside take at most `seconds` each on PostgreSQL (in a transaction of their
    own, or a savepoint); one that takes longer is cut and raises ValidationError(`message`).
    Elsewhere (SQLite, the laptop's default) nothing is limited."""
    if connection.vendor != "postgresql":
        yield
        return
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT current_setting('statement_timeout'),"
                    " set_config('statement_timeout', %s, true)",
                    [f"{int(seconds * 1000)}"],
                )
                previous = cursor.fetchone()[0]
            yield
            # A setting made in a transaction lasts until its end: give the caller's back.
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == QUERY_CANCELED:
            raise ValidationError(message, code="too_slow") from None
        raise
