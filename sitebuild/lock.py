"""The pyodide-lock.json served with the site: every wheel the worker loads, with sha256 and depends.

Pyodide's loadPackage reads it to find each file, fetch dependencies first and check
each download against its sha256 (the browser enforces it as subresource integrity).
"""
from pathlib import Path

from sitebuild.fetch import sha256_of


def wheel_entry(name: str, version: str, wheel: Path, imports, depends) -> dict:
    return {
        "name": name,
        "version": version,
        "file_name": wheel.name,
        "install_dir": "site",
        "sha256": sha256_of(wheel),
        "package_type": "package",
        "imports": list(imports),
        "depends": sorted(depends),
        "unvendored_tests": False,
    }


def served_lock(core_lock: dict, entries: list[dict]) -> dict:
    """The core's lock reduced to what the site ships; a depend the site does not ship is an error."""
    packages = {entry["name"]: entry for entry in sorted(entries, key=lambda e: e["name"])}
    for entry in packages.values():
        missing = [d for d in entry["depends"] if d not in packages]
        if missing:
            raise SystemExit(f"{entry['name']} depends on {missing}, which the site does not ship")
    return {"info": core_lock["info"], "packages": packages}
