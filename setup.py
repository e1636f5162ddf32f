"""Build hook: ship the project-wide templates/, static/ and locale/ folders inside the wheel.

Everything else (the apps, their migrations, management commands and data files) is declared in
pyproject.toml and found automatically. These three folders sit beside the apps in the checkout; the wheel
carries them as the data package ``jianfu_site`` and ``portal.settings.base`` looks for them there when the
code runs from an installed wheel instead of a checkout.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SITE_FOLDERS = ("templates", "static", "locale")


class BuildPyWithSiteFolders(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the folders from the checkout itself
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "jianfu_site"
        target.mkdir(parents=True, exist_ok=True)
        (target / "__init__.py").write_text('"""Templates, static files and translations of Jianfu."""\n')
        for folder in SITE_FOLDERS:
            source = root / folder
            if source.is_dir():
                shutil.copytree(
                    source,
                    target / folder,
                    dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
                )


setup(cmdclass={"build_py": BuildPyWithSiteFolders})
