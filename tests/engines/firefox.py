"""Firefox ESR (Debian's firefox-esr), headless, driven through WebDriver BiDi straight from Python.

Firefox's Remote Agent speaks BiDi on a WebSocket when started with --remote-debugging-port: no driver program
(geckodriver is not packaged by Debian) and no Node. The profile is a folder of ours with prefs that keep
Firefox from reaching the network on its own (updates, telemetry, remote settings), so every request is the
page's. Console messages come from BiDi's log events: the page's and its workers' alike.
"""
import contextlib
import json
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from tests.engines.bidi import Bidi
from tests.engines.page import EnginePage

FIREFOX = "/usr/bin/firefox-esr"
# Prefs in the profile's user.js. The Remote Agent also applies its own "recommended" prefs at start.
PREFS = {
    "app.update.disabledForTesting": True, "app.normandy.enabled": False, "app.shield.optoutstudies.enabled": False,
    "browser.shell.checkDefaultBrowser": False, "browser.startup.page": 0,
    "browser.startup.homepage_override.mstone": "ignore", "browser.newtabpage.enabled": False,
    "browser.safebrowsing.malware.enabled": False, "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.blockedURIs.enabled": False, "browser.safebrowsing.downloads.enabled": False,
    "browser.safebrowsing.provider.mozilla.updateURL": "", "browser.region.network.url": "",
    "browser.region.update.enabled": False, "browser.topsites.contile.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False, "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False, "toolkit.telemetry.server": "",
    "extensions.update.enabled": False, "extensions.getAddons.cache.enabled": False,
    "extensions.systemAddon.update.enabled": False, "extensions.blocklist.enabled": False,
    "media.gmp-manager.url": "", "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False, "network.dns.disablePrefetch": True,
    "network.prefetch-next": False, "services.settings.server": "data:,#remote-settings-off/v1",
    "messaging-system.rsexperimentloader.enabled": False, "identity.fxaccounts.enabled": False,
}
LISTENING = re.compile(r"WebDriver BiDi listening on (ws://\S+)")


def write_profile(folder: Path) -> None:
    lines = [f"user_pref({json.dumps(name)}, {json.dumps(value)});" for name, value in PREFS.items()]
    (folder / "user.js").write_text("\n".join(lines) + "\n")


class Firefox(EnginePage):
    name = "firefox"

    def __init__(self, profile: Path | None = None, width: int = 1280, height: int = 800,
                 origins: tuple[str, ...] = ()):
        """A new Firefox on `profile` (a fresh temporary one when None). Requests to other origins than
        `origins` (each "http://host:port") are recorded in foreign_requests when origins are given."""
        self.own_profile = profile is None
        self.profile = Path(tempfile.mkdtemp(prefix="firefox-profile-")) if profile is None else profile
        self.profile.mkdir(parents=True, exist_ok=True)
        write_profile(self.profile)
        self.origins = origins
        self.process = subprocess.Popen(
            [FIREFOX, "--headless", "--no-remote", "--profile", str(self.profile), "--remote-debugging-port=0",
             f"--width={width}", f"--height={height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, errors="replace")
        url = None
        for line in self.process.stderr:
            match = LISTENING.search(line)
            if match:
                url = match.group(1)
                break
        if url is None:
            self.process.kill()
            raise RuntimeError(f"{FIREFOX} did not start its WebDriver BiDi listener")
        # Firefox goes on writing to stderr: keep reading it, or the pipe fills and blocks Firefox.
        threading.Thread(target=lambda: [None for _ in self.process.stderr], daemon=True).start()
        self.bidi = Bidi(url + "/session")
        self.bidi.command("session.new", capabilities={})
        self.bidi.command("session.subscribe", events=["log.entryAdded"] + (["network.beforeRequestSent"] if origins else []))
        self.top = self.bidi.command("browsingContext.getTree", maxDepth=0)["contexts"][0]["context"]
        self.context = self.top
        self.foreign_requests = []
        self.worker_errors = []
        self.pid = self.process.pid   # the root of the browser's processes

    def _evaluate_json(self, expression: str) -> str:
        result = self.bidi.command("script.evaluate", expression=expression, awaitPromise=True,
                                   target={"context": self.context}, resultOwnership="none")
        self._take_records()
        if result["type"] == "exception":
            raise AssertionError(f"firefox: {result['exceptionDetails']['text']}")
        return result["result"]["value"]

    def _take_records(self) -> None:
        for entry in self.bidi.take_events("log.entryAdded"):
            # The page's own messages reach the test server's recorder (tests/engines/site.py); a worker's
            # (no browsing context) are seen only here.
            if entry.get("level") == "error" and not entry.get("source", {}).get("context"):
                self.worker_errors.append(entry.get("text", ""))
        for request in self.bidi.take_events("network.beforeRequestSent"):
            url = request["request"]["url"]
            if not url.startswith(("data:", "blob:", "about:")) and not url.startswith(self.origins) \
                    and url not in self.foreign_requests:
                self.foreign_requests.append(url)

    def goto(self, url: str) -> None:
        self.bidi.command("browsingContext.navigate", context=self.top, url=url, wait="none")

    def reload(self) -> None:
        self.bidi.command("browsingContext.reload", context=self.top, wait="none")

    @contextlib.contextmanager
    def in_frame(self, index: int):
        tree = self.bidi.command("browsingContext.getTree", root=self.top)["contexts"][0]
        self.context = tree["children"][index]["context"]
        try:
            yield self
        finally:
            self.context = self.top

    def close(self) -> None:
        try:
            self.bidi.command("browser.close")
        except Exception:   # already gone
            pass
        self.bidi.close()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.own_profile:
            shutil.rmtree(self.profile, ignore_errors=True)
