"""The audit trail: every non-pass verdict, review decision, acknowledgement and legal hold,
in a hash chain, kept at least six months. SQLite by default; PostgreSQL for fleets."""
from interceptor.audit.opening import open_store
from interceptor.audit.records import GENESIS, NewRecord, Record, new_id
from interceptor.audit.store import AuditStore, Conflict, NotFound, StoreUnavailable, VerifyResult

__all__ = [
    "GENESIS",
    "AuditStore",
    "Conflict",
    "NewRecord",
    "NotFound",
    "Record",
    "StoreUnavailable",
    "VerifyResult",
    "new_id",
    "open_store",
]
