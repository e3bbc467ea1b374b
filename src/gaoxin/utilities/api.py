from ninja import Router

router = Router(tags=["水电气"])
