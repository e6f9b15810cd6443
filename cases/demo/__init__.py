"""Demo data for `manage.py seed_demo`: a believable Welcome Center in the Erzgebirge (Saxony).

- region: the towns, names, partners, companies and texts the demo picks from
- users: the demo logins, and whether a database may be seeded
- tables: which tables are written and flushed; foreign keys and statistics around a bulk load
- build: the small demo and --scale alike, a chunk of newcomers with their cases at a time,
  from directory (partners, companies), people (newcomers) and timelines (cases), sharing
  world (random source, clock, directory, the rows of a chunk); outcomes adds what came of it
  (introductions to companies and hires, the exit questionnaire once the last case closed)
- copy: writing rows, COPY on PostgreSQL and bulk_create on SQLite, with keys handed out ahead
"""

from .build import SCALE_HISTORY_DAYS, SMALL_HISTORY_DAYS, build_demo_center
from .region import DEMO_COMPANY, DEMO_PARTNER
from .tables import FLUSH_ORDER, INSERT_ORDER, analyze, flush_domain_data
from .users import (
    COMPANY_USER,
    DEMO_USERS,
    HEAD,
    LOTSEN,
    PARTNER_USER,
    DemoUser,
    demo_head_exists,
    reason_not_to_seed,
    reset_demo_passwords,
)
from .world import Counts

__all__ = [
    "COMPANY_USER",
    "DEMO_COMPANY",
    "DEMO_PARTNER",
    "DEMO_USERS",
    "FLUSH_ORDER",
    "HEAD",
    "INSERT_ORDER",
    "LOTSEN",
    "PARTNER_USER",
    "SCALE_HISTORY_DAYS",
    "SMALL_HISTORY_DAYS",
    "Counts",
    "DemoUser",
    "analyze",
    "build_demo_center",
    "demo_head_exists",
    "flush_domain_data",
    "reason_not_to_seed",
    "reset_demo_passwords",
]
