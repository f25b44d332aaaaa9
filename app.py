"""Router: page config, navigation and the store on first start (indicators.ui.router).
No data logic here."""

from indicators.ui import router

router.main()
