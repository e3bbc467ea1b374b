"""`gaoxin floors`: check the floors with import-linter (docs/architecture.md), from the installed
modules' declarations, so a new module is checked without editing any shared file:

- core imports no module and not the apps above them (the demo);
- a module imports core, enterprises and only the modules it names in `uses` (each through a
  hook in docs/architecture.md), never the demo;
- no import cycles anywhere under gaoxin (between apps, or between one app's modules).

Imports inside functions count. `make lint` (and so `make test`) runs it; it exits 1 on a broken
contract, printing each offending import with its line.
"""

import tempfile
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from gaoxin.core import modules

ROOT = "gaoxin"
BASE = "enterprises"  # the floor every module stands on


def app_packages() -> dict[str, str]:
    """label → package of every app of the platform (core, the modules, the demo)."""
    return {c.label: c.name for c in apps.get_app_configs() if c.name.startswith(f"{ROOT}.")}


def contracts() -> list[dict]:
    """The contracts, one per app with a floor below it, and the one against cycles."""
    packages = app_packages()
    installed = {m.label: m for m in modules.installed()}
    found = [
        {
            "id": "core",
            "name": "core knows no module",
            "type": "forbidden",
            "source_modules": [packages["core"]],
            "forbidden_modules": sorted(p for label, p in packages.items() if label != "core"),
        }
    ]
    for label, module in installed.items():
        allowed = {"core", label, *module.uses} | ({BASE} if label != BASE else set())
        forbidden = sorted(p for other, p in packages.items() if other not in allowed)
        if forbidden:
            found.append(
                {
                    "id": label,
                    "name": f"{label} imports only core, {BASE} and what it uses",
                    "type": "forbidden",
                    "source_modules": [module.name],
                    "forbidden_modules": forbidden,
                }
            )
    found.append(
        {
            "id": "cycles",
            "name": "no import cycles",
            "type": "acyclic_siblings",
            "ancestors": [ROOT],
        }
    )
    return found


def as_ini(found: list[dict]) -> str:
    lines = ["[importlinter]", f"root_package = {ROOT}", "include_external_packages = False", ""]
    for contract in found:
        lines.append(f"[importlinter:contract:{contract['id']}]")
        for key, value in contract.items():
            if key == "id":
                continue
            if isinstance(value, list):
                lines.append(f"{key} =")
                lines += [f"    {v}" for v in value]
            else:
                lines.append(f"{key} = {value}")
        lines.append("")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "按已安装模块的声明检查分层导入规则(core 不导入任何业务模块,模块间只经登记的钩子,无循环导入)。"

    requires_system_checks = []  # it reads the source, not the running platform

    def handle(self, *args, **options):
        from importlinter import api  # noqa: F401  (configures import-linter)
        from importlinter.application.use_cases import lint_imports

        with tempfile.TemporaryDirectory() as folder:
            config = Path(folder) / "floors.ini"
            config.write_text(as_ini(contracts()), encoding="utf-8")
            passed = lint_imports(config_filename=str(config), cache_dir=None, no_logo=True)
        if not passed:
            raise CommandError("分层导入规则未通过(见上)")
