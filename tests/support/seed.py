"""What the data migrations seed (the GB/T code lists, the standard statistics catalogue), put
back after a transactional test's flush emptied every table."""


def reload_seed() -> None:
    """Idempotent: writes only what is missing."""
    from gaoxin.core.codelists import ensure_code_lists
    from gaoxin.statistics.catalogue import ensure_standard

    ensure_code_lists()
    ensure_standard()
