"""Output: the v1 record schema, crash-safe JSONL part files, rejects, run manifests, readers.

Plain Python: never imports Scrapy or ``crawler``.
"""

from newsclean.output.manifest import RUN_STATUSES, RunManifest, config_hash, new_run_id, versions
from newsclean.output.reader import JsonlReader, committed_parts, find_parts, iter_records, open_jsonl
from newsclean.output.schema import (
    RECORD_SCHEMA,
    REJECT_SCHEMA,
    SCHEMA_VERSION,
    RecordInvalid,
    build_record,
    build_reject,
    canonicalize_url,
    content_hash,
    iso_utc,
    normalize_text,
    record_id,
    validate_record,
    validate_reject,
)
from newsclean.output.writer import (STDIO, AtomicFile, CommittedPart, OutputError, PartWriter, StdoutError, cleanup_orphans,
                                     write_json_atomic)

__all__ = [
    "RECORD_SCHEMA", "REJECT_SCHEMA", "RUN_STATUSES", "SCHEMA_VERSION", "STDIO", "AtomicFile", "CommittedPart", "JsonlReader",
    "OutputError", "PartWriter", "RecordInvalid", "StdoutError", "RunManifest", "build_record", "build_reject",
    "canonicalize_url", "cleanup_orphans", "committed_parts", "config_hash", "content_hash", "find_parts", "iso_utc",
    "iter_records", "new_run_id", "open_jsonl", "normalize_text", "record_id", "validate_record", "validate_reject",
    "versions", "write_json_atomic",
]
