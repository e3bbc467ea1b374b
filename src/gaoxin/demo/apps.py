from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo province (`gaoxin demo`): above every module, last in INSTALLED_APPS. It has no
    models, pages or menu entry."""

    name = "gaoxin.demo"
    label = "demo"
