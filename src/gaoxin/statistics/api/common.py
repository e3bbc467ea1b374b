"""What the statistics endpoints share: the router (each api module registers on it)."""

from gaoxin.core.api import PackageRouter

# Operation ids stay `gaoxin_statistics_api_<function>` whichever module holds the function.
router = PackageRouter(__package__, tags=["经济运行"])
