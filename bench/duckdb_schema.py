"""The canonical CSV layouts as DuckDB column types, shared by the DuckDB peer scripts.

Typed columns (not sniffed) and ISO dates, so every peer reads the files the way data-model.md
defines them.
"""

from pathlib import Path

import duckdb

PHARMACY = {
    "claim_id": "VARCHAR",
    "member_id": "VARCHAR",
    "fill_date": "DATE",
    "ndc": "VARCHAR",
    "days_supply": "INTEGER",
    "quantity": "DECIMAL(18,3)",
    "paid_amount": "DECIMAL(18,2)",
    "patient_pay": "DECIMAL(18,2)",
    "status": "VARCHAR",
    "rx_number": "VARCHAR",
    "fill_number": "INTEGER",
    "pharmacy_id": "VARCHAR",
    "prescriber_id": "VARCHAR",
}
MEMBERS = {"member_id": "VARCHAR", "birth_date": "DATE", "sex": "VARCHAR", "death_date": "DATE"}
MEDICAL = {
    "claim_id": "VARCHAR",
    "member_id": "VARCHAR",
    "from_date": "DATE",
    "thru_date": "DATE",
    "setting": "VARCHAR",
    "dx_codes": "VARCHAR",
    "proc_codes": "VARCHAR",
    "paid_amount": "DECIMAL(18,2)",
}


def read_csv_sql(columns: dict[str, str]) -> str:
    """A read_csv call with typed columns and ISO dates; the file is the query parameter."""
    spec = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items()) + "}"
    return f"read_csv(?, header = true, delim = ',', quote = '\"', dateformat = '%Y-%m-%d', columns = {spec})"


def load_table(connection: duckdb.DuckDBPyConnection, table: str, path: Path,
               columns: dict[str, str], keep: list[str]) -> None:
    """Creates `table` from one CSV, keeping only the columns the method uses."""
    connection.execute(
        f"CREATE TABLE {table} AS SELECT {', '.join(keep)} FROM {read_csv_sql(columns)}", [str(path)]
    )
