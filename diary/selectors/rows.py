"""A model's own columns read by hand-written SQL, each value converted as the ORM's compiler would."""

from django.db import connection

from diary.models import User


def user_id_param(pk):
    """A user's id as hand-written SQL takes it: a UUID on PostgreSQL, the 32 hex digits Django stores on
    SQLite."""
    return User._meta.pk.get_db_prep_value(pk, connection)


def model_rows(model, fields: tuple[str, ...], *, where: str, params: list) -> list[tuple]:
    """`SELECT <fields> FROM <the model's table> WHERE <where>`, the values converted by the converters the
    ORM applies to those columns (the database backend's, then the field's: SQLite's booleans, dates and
    times, JSON). For the reads a request makes every time with the same shape: compiling their queryset
    cost as much as running it (bench/trends.py). `where` is the condition on columns, and an ORDER BY or
    LIMIT after it if wanted; its `params` are adapted for the database already
    (connection.ops.adapt_datefield_value, a field's get_db_prep_value)."""
    opts = model._meta
    quote = connection.ops.quote_name
    columns = [opts.get_field(name).get_col(opts.db_table) for name in fields]
    sql = f"SELECT {', '.join(quote(column.target.column) for column in columns)} FROM {quote(opts.db_table)}"
    converters = []
    for index, column in enumerate(columns):
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            converters.append((index, found, column))
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} WHERE {where}", params)
        rows = cursor.fetchall()
    if not converters:
        return rows
    converted = []
    for row in rows:
        values = list(row)
        for index, functions, column in converters:
            for function in functions:
                values[index] = function(values[index], column, connection)
        converted.append(tuple(values))
    return converted
