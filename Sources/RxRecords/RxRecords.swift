// Input records: typed records, CSV/NDJSON readers, column maps, rejects, grouping by member.
