"""A student's progress: the exercises solved, as the document keeps them (document.progress), and the text a
student copies into a course's submission box. Pure (no Panel)."""
import datetime

NOT_PROOF = ("Kept by this browser, not proof: anyone can edit a page's address, so a teacher should treat "
             "this as the student's own report.")


def now():
    """The time a solution is recorded: UTC, to the minute (the document's format)."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def solved(progress, tour, exercise):
    """The entry of an exercise already solved, or None."""
    return next((item for item in progress if (item["tour"], item["exercise"]) == (tour, exercise)), None)


def record(progress, tour, exercise, first_try, when=None):
    """The progress with this exercise solved (unchanged if it was solved before: the first solution counts)."""
    if solved(progress, tour, exercise) is not None:
        return list(progress)
    return list(progress) + [{"tour": tour, "exercise": exercise, "at": when or now(), "first_try": first_try}]


def progress_text(progress, predict_score=""):
    """'My progress': which exercises, when, and whether solved before the hint; the predict-mode score."""
    lines = ["My progress in the micrograd playground"]
    if not progress:
        lines.append("No exercise solved yet.")
    tours = list(dict.fromkeys(item["tour"] for item in progress))
    for tour in tours:
        lines.append(f"{tour}:")
        for item in progress:
            if item["tour"] == tour:
                how = "before the hint" if item["first_try"] else "after the hint"
                lines.append(f"  solved {item['exercise']} ({item['at']}, {how})")
    if progress:
        first = sum(item["first_try"] for item in progress)
        lines.append(f"{len(progress)} solved, {first} of them before the hint.")
    if predict_score:
        lines.append(f"Predict the gradient (the graph on screen): {predict_score}.")
    lines.append(NOT_PROOF)
    return "\n".join(lines)
