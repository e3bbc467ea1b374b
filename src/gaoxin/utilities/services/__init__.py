"""Every write to the utilities' records goes through here: pages, API, importers, the demo and
the daily job. Each function runs in one transaction, checks access through `restrict()`,
validates with Chinese messages naming the field (a batch: the row and the field) and writes the
audit record (a batch: one record for the batch).

- accounts: companies, tariffs and their dated versions (rates checked by tariffs.py), the
  zone's warning settings, prepaid accounts (version-checked: a stale save answers 409);
- ingest: batches of readings, top-ups and cut-offs (all or nothing, re-sends recognised,
  readings priced, balances moved, then the warnings refreshed);
- corrections: a correction of an entry is a new entry (a Charge of kind correction), never an
  overwrite; `ledger_balance` recomputes a balance from the entries."""

from .accounts import (
    add_company,
    add_tariff,
    add_version,
    create_account,
    save_settings,
    update_account,
    update_company,
    update_tariff,
)
from .corrections import correct, ledger_balance
from .ingest import BatchRejected, RowError, post_cutoffs, post_readings, post_topups

__all__ = [
    "BatchRejected", "RowError", "add_company", "add_tariff", "add_version", "correct",
    "create_account", "ledger_balance", "post_cutoffs", "post_readings", "post_topups",
    "save_settings", "update_account", "update_company", "update_tariff",
]  # fmt: skip
