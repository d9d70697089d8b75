"""PDC-STA (PQA statin adherence, MY 2025) with the Polars lazy API: a peer of `rxrules run`.

The same method and output as pdc_sta_duckdb.py, written independently with Polars expressions:
interval arithmetic per ingredient, union over ingredients, no per-day calendar. There is NO stay
adjustment: compare with `rxrules run --param stay_adjustment=false`.
Prints rows, wall time, pharmacy claims/s and peak resident memory.

usage: bench/.venv/bin/python bench/pdc_sta_polars.py [--out OUT] [--valueset FILE] [DATA]
"""

import argparse
import datetime
import resource
import time
from pathlib import Path

import polars as pl

REPO = Path(__file__).resolve().parent.parent

YEAR_FIRST = datetime.date(2025, 1, 1)
YEAR_LAST = datetime.date(2025, 12, 31)
BORN_BY = datetime.date(2007, 1, 1)  # age >= 18 on 2025-01-01
MINIMUM_TREATMENT_DAYS = 91
ESRD_CODES = ["N186", "Z992"]  # N18.6, Z99.2 with the dots removed

PHARMACY = {
    "claim_id": pl.String,
    "member_id": pl.String,
    "fill_date": pl.Date,
    "ndc": pl.String,
    "days_supply": pl.Int32,
    "quantity": pl.String,
    "paid_amount": pl.String,
    "patient_pay": pl.String,
    "status": pl.String,
    "rx_number": pl.String,
    "fill_number": pl.String,
    "pharmacy_id": pl.String,
    "prescriber_id": pl.String,
}
MEMBERS = {"member_id": pl.String, "birth_date": pl.Date, "sex": pl.String, "death_date": pl.Date}
MEDICAL = {
    "claim_id": pl.String,
    "member_id": pl.String,
    "from_date": pl.Date,
    "thru_date": pl.Date,
    "setting": pl.String,
    "dx_codes": pl.String,
    "proc_codes": pl.String,
    "paid_amount": pl.String,
}


def statin_fills(pharmacy: pl.LazyFrame, statins: pl.LazyFrame) -> pl.LazyFrame:
    """Paid, not reversed statin fills dated in the year, with their target ingredient."""
    reversed_ids = pharmacy.filter(pl.col("status") == "reversed").select("claim_id").unique()
    return (
        pharmacy.filter(
            (pl.col("status").fill_null("paid") == "paid")
            & pl.col("fill_date").is_between(YEAR_FIRST, YEAR_LAST)
        )
        .join(reversed_ids, on="claim_id", how="anti")
        .join(statins, left_on="ndc", right_on="code", how="inner")
        .select("member_id", "claim_id", "fill_date", "days_supply", "ingredient")
    )


def excluded_members(medical: pl.LazyFrame) -> pl.LazyFrame:
    """Members with a hospice claim or an ESRD diagnosis on a claim overlapping the year."""
    codes = (
        pl.col("dx_codes").fill_null("").str.to_uppercase()
        .str.replace_all(".", "", literal=True).str.replace_all(" ", "", literal=True)
        .str.split("|")
    )
    return (
        medical.filter(
            (pl.col("from_date") <= YEAR_LAST)
            & (pl.col("thru_date") >= YEAR_FIRST)
            & ((pl.col("setting") == "hospice") | codes.list.eval(pl.element().is_in(ESRD_CODES)).list.any())
        )
        .select("member_id")
        .unique()
    )


def denominator(fills: pl.LazyFrame, members: pl.LazyFrame, excluded: pl.LazyFrame) -> pl.LazyFrame:
    """member_id, ipsd, last_day and treatment_days of the members the measure counts."""
    return (
        fills.group_by("member_id")
        .agg(pl.col("fill_date").min().alias("ipsd"), pl.col("fill_date").n_unique().alias("dates"))
        .filter(pl.col("dates") >= 2)
        .join(members.filter(pl.col("birth_date") <= BORN_BY), on="member_id", how="inner")
        .join(excluded, on="member_id", how="anti")
        .with_columns(
            pl.min_horizontal(pl.lit(YEAR_LAST), pl.col("death_date").fill_null(YEAR_LAST)).alias("last_day")
        )
        .with_columns(((pl.col("last_day") - pl.col("ipsd")).dt.total_days() + 1).alias("treatment_days"))
        .filter(pl.col("treatment_days") >= MINIMUM_TREATMENT_DAYS)
        .select("member_id", "ipsd", "last_day", "treatment_days")
    )


def supply_intervals(fills: pl.LazyFrame, counted: pl.LazyFrame) -> pl.LazyFrame:
    """Shifted supply intervals (first_day, final_day as day numbers) cut to the treatment period.

    Per ingredient in (fill_date, claim_id) order, with S the running days supply:
    start_i = max over j <= i of (fill_j - S_{j-1}) + S_{i-1}, the closed form of
    start_i = max(fill_i, end_{i-1} + 1).
    """
    same_drug = ["member_id", "ingredient"]
    day = pl.col("fill_date").cast(pl.Int32)  # days since 1970-01-01
    before = (pl.col("days_supply").cum_sum() - pl.col("days_supply")).over(same_drug)
    start = (day - pl.col("before")).cum_max().over(same_drug) + pl.col("before")
    return (
        fills.join(counted, on="member_id", how="inner")
        .sort("member_id", "ingredient", "fill_date", "claim_id")
        .with_columns(before.alias("before"))
        .with_columns(start.alias("start"))
        .select(
            "member_id",
            pl.max_horizontal("start", pl.col("ipsd").cast(pl.Int32)).alias("first_day"),
            pl.min_horizontal(pl.col("start") + pl.col("days_supply") - 1,
                              pl.col("last_day").cast(pl.Int32)).alias("final_day"),
        )
        .filter(pl.col("first_day") <= pl.col("final_day"))
    )


def covered_days(intervals: pl.LazyFrame) -> pl.LazyFrame:
    """Distinct covered days per member: sorted by start, each interval adds the days past the
    furthest end reached by the intervals before it (so overlapping drugs count once)."""
    reached = pl.col("final_day").cum_max().shift(1).over("member_id")
    floor = pl.max_horizontal(pl.col("first_day") - 1, pl.col("reached").fill_null(pl.col("first_day") - 1))
    return (
        intervals.sort("member_id", "first_day", "final_day")
        .with_columns(reached.alias("reached"))
        .with_columns(pl.max_horizontal(pl.lit(0), pl.col("final_day") - floor).alias("added"))
        .group_by("member_id")
        .agg(pl.col("added").sum().cast(pl.Int64).alias("covered_days"))
    )


def scored(counted: pl.LazyFrame, covered: pl.LazyFrame) -> pl.LazyFrame:
    """The output rows: pdc rounded half-even to 4 decimals in integers; adherent compared exactly."""
    treatment = pl.col("treatment_days").cast(pl.Int64)
    scaled = pl.col("covered_days") * 10000
    quotient, remainder = scaled // treatment, scaled % treatment
    up = (2 * remainder > treatment) | ((2 * remainder == treatment) & (quotient % 2 == 1))
    pdc_e4 = quotient + up.cast(pl.Int64)
    return (
        counted.join(covered, on="member_id", how="left")
        .with_columns(pl.col("covered_days").fill_null(0))
        .with_columns(pdc_e4.alias("pdc_e4"))
        .select(
            "member_id",
            "ipsd",
            treatment.alias("treatment_days"),
            "covered_days",
            pl.format("{}.{}", pl.col("pdc_e4") // 10000,
                      (pl.col("pdc_e4") % 10000).cast(pl.String).str.zfill(4)).alias("pdc"),
            # threshold 0.80: covered / treatment >= 4 / 5
            (pl.col("covered_days") * 5 >= treatment * 4).alias("adherent"),
        )
        .sort("member_id")
    )


def pdc_sta(data: Path, valueset: Path) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """The lazy result and the lazy pharmacy claim count."""
    pharmacy = pl.scan_csv(data / "pharmacy_claims.csv", schema=PHARMACY)
    members = pl.scan_csv(data / "members.csv", schema=MEMBERS)
    medical = pl.scan_csv(data / "medical_claims.csv", schema=MEDICAL)
    # A value set may carry extra columns (class, description...): only code and ingredient matter.
    statins = pl.scan_csv(valueset, infer_schema=False).select("code", "ingredient")
    fills = statin_fills(pharmacy, statins)
    counted = denominator(fills, members, excluded_members(medical))
    result = scored(counted, covered_days(supply_intervals(fills, counted)))
    return result, pharmacy.select(pl.len())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=REPO / "bench" / "data")
    parser.add_argument("--out", type=Path, default=REPO / "out" / "pdc-polars")
    parser.add_argument("--valueset", type=Path,
                        default=REPO / "rules" / "pqa-adherence" / "valuesets" / "statins.csv")
    args = parser.parse_args()

    start = time.perf_counter()
    result, count = pdc_sta(args.data, args.valueset)
    table, claims = pl.collect_all([result, count])
    args.out.mkdir(parents=True, exist_ok=True)
    table.write_csv(args.out / "pdc_sta.csv", date_format="%Y-%m-%d")
    elapsed = time.perf_counter() - start

    claims_read = claims.item()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"polars {pl.__version__}: PDC-STA {table.height} members from {claims_read} pharmacy claims "
          f"in {elapsed:.2f} s: {claims_read / elapsed / 1e6:.2f} M claims/s, peak RSS {peak_kib / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
