"""Parquet export of v1 records, with an Arrow schema derived from ``record.schema.json``.

Types (the JSON Schema is the source; :func:`arrow_schema` walks it):

- strings -> ``string``; nullable exactly when the JSON Schema allows ``null``;
- integers -> ``int64``; arrays of strings (``authors``, ``tags``) -> ``list<string>``;
- ``fetched_at`` -> ``timestamp[us, UTC]``: always UTC by the schema, so nothing is lost;
- ``published``/``modified`` stay ISO 8601 **strings**: they mix dates and datetimes, with
  and without offsets; a timestamp column would drop the offset or invent a time of day;
- ``cleaning`` -> a struct; its free-form objects (``removed``, ``date_sources``) -> maps.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Mapping

import pyarrow as pa
import pyarrow.parquet as pq

from newsclean.output.reader import JsonlReader
from newsclean.output.writer import AtomicFile
from newsclean.output.schema import RECORD_SCHEMA, SCHEMA_VERSION, iso_utc

#: Fields stored as a timestamp instead of the JSON string (see the module docstring).
TIMESTAMP_FIELDS = frozenset({"fetched_at"})
BATCH_ROWS = 5000


class SchemaMappingError(ValueError):
    """The JSON Schema has a construct this exporter cannot map to Arrow (names the field)."""


def _types(spec: Mapping[str, Any], defs: Mapping[str, Any]) -> tuple[set[str], Mapping[str, Any]]:
    """The JSON types a property allows (``$ref``, ``oneOf``, ``const`` resolved) and its spec."""
    if "$ref" in spec:
        return _types(defs[spec["$ref"].rsplit("/", 1)[-1]], defs)
    if "oneOf" in spec or "anyOf" in spec:
        types: set[str] = set()
        merged: Mapping[str, Any] = spec
        for option in spec.get("oneOf", spec.get("anyOf")):
            t, sub = _types(option, defs)
            types |= t
            if t != {"null"}:
                merged = sub
        return types, merged
    if "const" in spec:
        value = spec["const"]
        return {"integer" if isinstance(value, int) else "string"}, spec
    t = spec.get("type")
    return ({t} if isinstance(t, str) else set(t or ())), spec


def _arrow_type(name: str, spec: Mapping[str, Any], defs: Mapping[str, Any]) -> tuple[pa.DataType, bool]:
    """``(arrow type, nullable)`` of one JSON Schema property."""
    types, spec = _types(spec, defs)
    nullable = "null" in types
    types.discard("null")
    if len(types) != 1:
        raise SchemaMappingError(f"{name}: cannot map JSON types {sorted(types)} to one Arrow type")
    (t,) = types
    if name in TIMESTAMP_FIELDS:
        if t != "string":
            raise SchemaMappingError(f"{name}: a timestamp field must be a string in the JSON Schema")
        return pa.timestamp("us", tz="UTC"), nullable
    if t == "string":
        return pa.string(), nullable
    if t == "integer":
        return pa.int64(), nullable
    if t == "number":
        return pa.float64(), nullable
    if t == "boolean":
        return pa.bool_(), nullable
    if t == "array":
        item, _ = _arrow_type(f"{name}[]", spec.get("items", {}), defs)
        return pa.list_(item), nullable
    if t == "object":
        if "properties" in spec:
            required = set(spec.get("required", ()))
            fields = []
            for key, sub in spec["properties"].items():
                typ, null = _arrow_type(f"{name}.{key}", sub, defs)
                fields.append(pa.field(key, typ, nullable=null or key not in required))
            return pa.struct(fields), nullable
        values = spec.get("additionalProperties")
        if isinstance(values, Mapping):
            value_type, _ = _arrow_type(f"{name}{{}}", values, defs)
            return pa.map_(pa.string(), value_type), nullable
    raise SchemaMappingError(f"{name}: cannot map JSON type {t!r} to Arrow")


def arrow_schema(record_schema: Mapping[str, Any] = RECORD_SCHEMA) -> pa.Schema:
    """The Arrow schema of records: same fields, same order, types as the module docstring says."""
    defs = record_schema.get("$defs", {})
    required = set(record_schema.get("required", ()))
    fields = []
    for name, spec in record_schema["properties"].items():
        typ, nullable = _arrow_type(name, spec, defs)
        fields.append(pa.field(name, typ, nullable=nullable or name not in required))
    return pa.schema(fields, metadata={"newsclean.schema": str(record_schema.get("$id", ""))})


RECORD_ARROW_SCHEMA = arrow_schema()


def _to_row(rec: Mapping[str, Any], schema: pa.Schema) -> dict[str, Any]:
    row = {name: rec.get(name) for name in schema.names}
    for name in TIMESTAMP_FIELDS:
        value = row.get(name)
        if isinstance(value, str):
            row[name] = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return row


def _check_keys(rec: Mapping[str, Any], schema: pa.Schema) -> str | None:
    version = rec.get("schema_version")
    if isinstance(version, int) and version != SCHEMA_VERSION:
        # said as a version, not as the fields it lacks or adds ('canonical_url' missing, line by line)
        return (f"a record of schema version {version}, written by {'an older' if version < SCHEMA_VERSION else 'a newer'} "
                f"newsclean; this one exports version {SCHEMA_VERSION}"
                + ("" if version < SCHEMA_VERSION else ": upgrade newsclean"))
    extra = set(rec) - set(schema.names)
    if extra:
        return f"fields not in the record schema: {sorted(extra)}"
    absent = [f.name for f in schema if not f.nullable and rec.get(f.name) is None]
    if absent:
        return f"required fields missing or null: {absent}"
    return None


def record_from_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A record as JSONL holds it, from a row of the Parquet file (``table.to_pylist()``)."""
    rec = dict(row)
    for name in TIMESTAMP_FIELDS:
        if isinstance(rec.get(name), datetime):
            rec[name] = iso_utc(rec[name])
    cleaning = rec.get("cleaning")
    if isinstance(cleaning, dict):
        # Maps come back from Arrow as lists of (key, value) pairs.
        # Optional members (``source``) come back as null on records that never had them.
        rec["cleaning"] = {k: dict(v) if isinstance(v, list) else v for k, v in cleaning.items() if v is not None}
    return rec


def export_parquet(paths: Iterable[Path | str], out: Path | str | BinaryIO, reader: JsonlReader | None = None,
                   schema: pa.Schema = RECORD_ARROW_SCHEMA) -> int:
    """Write the records of the JSONL ``paths`` to one Parquet file; return how many.

    Lines that are not JSON, and objects that do not fit the schema, are skipped and listed in
    ``reader.skipped`` with file and line. A path is written under a temporary name and renamed
    when complete; an open binary file is written as it is (the caller commits it).
    """
    if not isinstance(out, (str, Path)):
        return _write_parquet(paths, out, reader or JsonlReader(), schema)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    target = AtomicFile(out)
    try:
        written = _write_parquet(paths, target.fh, reader or JsonlReader(), schema)
        target.commit()
    except BaseException:
        target.discard()
        raise
    return written


def _write_parquet(paths: Iterable[Path | str], out: BinaryIO, reader: JsonlReader, schema: pa.Schema) -> int:
    written = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        batch: list[tuple[Path, int, dict[str, Any]]] = []
        for path, line_no, rec in reader.iter_located(paths):
            problem = _check_keys(rec, schema)
            if problem:
                reader.skip(path, line_no, problem)
                continue
            batch.append((path, line_no, rec))
            if len(batch) >= BATCH_ROWS:
                written += _write_batch(writer, batch, schema, reader)
                batch = []
        if batch:
            written += _write_batch(writer, batch, schema, reader)
    return written


def _write_batch(writer: pq.ParquetWriter, batch: list[tuple[Path, int, dict[str, Any]]],
                 schema: pa.Schema, reader: JsonlReader) -> int:
    try:
        table = pa.Table.from_pylist([_to_row(rec, schema) for _, _, rec in batch], schema=schema)
    except (pa.ArrowException, TypeError, ValueError):
        # One record of the wrong type spoils the batch: convert one by one to name it.
        rows = []
        for path, line_no, rec in batch:
            try:
                row = _to_row(rec, schema)
                pa.Table.from_pylist([row], schema=schema)
            except (pa.ArrowException, TypeError, ValueError) as exc:
                reader.skip(path, line_no, f"does not fit the record schema: {str(exc).splitlines()[0][:200]}")
                continue
            rows.append(row)
        table = pa.Table.from_pylist(rows, schema=schema)
    writer.write_table(table)
    return table.num_rows
