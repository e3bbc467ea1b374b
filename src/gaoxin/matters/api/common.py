"""What the matters endpoints share: the two routers (each api module registers on one)."""

from gaoxin.core.api import PackageRouter

# /api/v1/matters: the closed-loop matters, their timeline and rating.
router = PackageRouter(__package__, tags=["服务闭环"])
# /api/v1/assistance: the help ledgers and their summary.
assistance_router = PackageRouter(__package__, tags=["惠企帮扶"])
