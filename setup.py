"""Packaging beyond what pyproject.toml can say: the wheel carries the migrations (``alembic/``) and the compiled
translation catalogs (``locales/``) inside the ``app`` package, as ``app/bundled/``, so an installed ``kawal``
migrates and translates from any directory. The checkout keeps them at the top level, where developers edit
them; ``app.bundled_files`` looks in the package first, then in the checkout."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BUNDLED = {"alembic": ("env.py", "script.py.mako", "versions/*.py"), "locales": ("*/LC_MESSAGES/*.mo",)}


class BuildWithBundledFiles(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        target = Path(self.build_lib) / "app" / "bundled"
        for folder, patterns in BUNDLED.items():
            for pattern in patterns:
                for source in sorted((HERE / folder).glob(pattern)):
                    destination = target / folder / source.relative_to(HERE / folder)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source, destination)


setup(cmdclass={"build_py": BuildWithBundledFiles})
