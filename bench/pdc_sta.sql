-- PDC-STA (PQA statin adherence), measurement year 2025, WITHOUT the CMS stay adjustment:
-- compare with `rxrules run --param stay_adjustment=false`.
-- Inputs (created by pdc_sta_duckdb.py): tables pharmacy, members, medical, statins(code, ingredient).
-- Output: table pdc_sta, one row per member in the denominator.
-- Supply is handled as intervals (no per-day calendar join).

CREATE OR REPLACE TABLE pdc_sta AS
WITH
-- A reversed row cancels the paid row with the same claim_id, whatever its date.
reversed AS (
    SELECT DISTINCT claim_id FROM pharmacy WHERE status = 'reversed'
),
statin_fills AS (
    SELECT p.member_id, p.claim_id, p.fill_date, p.days_supply, s.ingredient
    FROM pharmacy AS p
    JOIN statins AS s ON p.ndc = s.code
    ANTI JOIN reversed AS r ON p.claim_id = r.claim_id
    WHERE coalesce(p.status, 'paid') = 'paid'
      AND p.fill_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'
),
-- Age >= 18 on 2025-01-01 means born on or before 2007-01-01; at least two distinct dates of service.
candidates AS (
    SELECT f.member_id,
           min(f.fill_date) AS ipsd,
           least(DATE '2025-12-31', coalesce(any_value(m.death_date), DATE '2025-12-31')) AS last_day
    FROM statin_fills AS f
    JOIN members AS m ON f.member_id = m.member_id
    WHERE m.birth_date <= DATE '2007-01-01'
    GROUP BY f.member_id
    HAVING count(DISTINCT f.fill_date) >= 2
),
-- Hospice, or an ESRD diagnosis (N18.6, Z99.2; dots optional), on a claim overlapping the year.
excluded AS (
    SELECT DISTINCT member_id
    FROM medical
    WHERE from_date <= DATE '2025-12-31' AND thru_date >= DATE '2025-01-01'
      AND (setting = 'hospice'
           OR list_has_any(string_split(replace(replace(upper(coalesce(dx_codes, '')), '.', ''), ' ', ''), '|'),
                           ['N186', 'Z992']))
),
denominator AS (
    SELECT c.member_id, c.ipsd, c.last_day, (c.last_day - c.ipsd + 1) AS treatment_days
    FROM candidates AS c
    ANTI JOIN excluded AS x ON c.member_id = x.member_id
    WHERE c.last_day - c.ipsd + 1 >= 91
),
-- Per ingredient, in (fill_date, claim_id) order, with S = running sum of days supply:
-- start_i = max over j <= i of (fill_j - S_{j-1}) + S_{i-1}, the closed form of
-- start_i = max(fill_i, end_{i-1} + 1) (an early refill of the same drug waits for the old supply).
running AS (
    SELECT f.member_id, f.ingredient, f.claim_id, f.fill_date, f.days_supply, d.ipsd, d.last_day,
           (sum(f.days_supply) OVER same_drug - f.days_supply)::INTEGER AS supply_before
    FROM statin_fills AS f
    JOIN denominator AS d ON f.member_id = d.member_id
    WINDOW same_drug AS (PARTITION BY f.member_id, f.ingredient ORDER BY f.fill_date, f.claim_id
                         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
shifted AS (
    SELECT member_id, days_supply, ipsd, last_day,
           max(fill_date - supply_before) OVER same_drug + supply_before AS start_day
    FROM running
    WINDOW same_drug AS (PARTITION BY member_id, ingredient ORDER BY fill_date, claim_id
                         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
-- Truncated to the treatment period; empty intervals dropped.
clipped AS (
    SELECT member_id,
           greatest(start_day, ipsd) AS first_day,
           least(start_day + days_supply - 1, last_day) AS final_day
    FROM shifted
    WHERE greatest(start_day, ipsd) <= least(start_day + days_supply - 1, last_day)
),
-- Union over ingredients: sorted by start, an interval adds only the days past the furthest end
-- reached by the intervals before it.
reach AS (
    SELECT member_id, first_day, final_day,
           max(final_day) OVER (PARTITION BY member_id ORDER BY first_day, final_day
                                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reached
    FROM clipped
),
covered AS (
    SELECT member_id,
           sum(greatest(0, final_day - greatest(first_day - 1, coalesce(reached, first_day - 1))))
               AS covered_days
    FROM reach
    GROUP BY member_id
),
scored AS (
    SELECT d.member_id, d.ipsd, d.treatment_days,
           coalesce(c.covered_days, 0)::BIGINT AS covered_days
    FROM denominator AS d
    LEFT JOIN covered AS c ON d.member_id = c.member_id
),
-- pdc in ten-thousandths, rounded half-even in integers (no binary floating point).
rounded AS (
    SELECT *,
           (covered_days * 10000) // treatment_days AS q,
           (covered_days * 10000) % treatment_days AS r
    FROM scored
)
SELECT member_id,
       ipsd,
       treatment_days,
       covered_days,
       printf('%d.%04d', pdc_e4 // 10000, pdc_e4 % 10000) AS pdc,
       -- threshold 0.80 compared exactly: covered / treatment >= 4 / 5
       CASE WHEN covered_days * 5 >= treatment_days * 4 THEN 'true' ELSE 'false' END AS adherent
FROM (
    SELECT *,
           q + CASE WHEN 2 * r > treatment_days OR (2 * r = treatment_days AND q % 2 = 1) THEN 1 ELSE 0 END
               AS pdc_e4
    FROM rounded
)
ORDER BY member_id;
