"""A small WebDriver BiDi connection: JSON commands over one WebSocket, answers matched by id, events kept.

Firefox speaks WebDriver BiDi itself (its Remote Agent, started by `--remote-debugging-port`): no driver
program in between. The protocol is the W3C's (https://w3c.github.io/webdriver-bidi/): every command is
{id, method, params}; the browser answers {type: "success"|"error", id, ...} and sends events
{type: "event", method, params} whenever they happen. This client is synchronous: events that arrive while it
waits for an answer are kept in `events` for whoever reads them.
"""
import itertools
import json

import websocket  # websocket-client, a dependency of selenium (requirements/dev.txt)


class BidiError(RuntimeError):
    pass


class Bidi:
    def __init__(self, url: str, timeout_s: float = 300):
        self.socket = websocket.create_connection(url, timeout=timeout_s, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events = []

    def command(self, method: str, **params) -> dict:
        """Send a command and return its result (raise BidiError with the browser's message if it failed)."""
        number = next(self.ids)
        self.socket.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("type") == "event":
                self.events.append(message)
            elif message.get("id") == number:
                if message.get("type") == "error":
                    raise BidiError(f"{method}: {message.get('error')}: {message.get('message')}")
                return message["result"]

    def take_events(self, method: str) -> list[dict]:
        """The params of every event `method` received so far, removed from the list."""
        taken = [event["params"] for event in self.events if event["method"] == method]
        self.events = [event for event in self.events if event["method"] != method]
        return taken

    def close(self) -> None:
        try:
            self.socket.close()
        except OSError:
            pass
