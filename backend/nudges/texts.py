"""What each nudge says: warm and plain, no guilt, no streaks.

Names (a company, a contact) appear only with detailed notifications on, since
lock screens are public. Every body stays within 140 characters.
"""
MAX_BODY = 140
MAX_NAME = 40


def _name(text):
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_NAME else text[:MAX_NAME - 1].rstrip() + "…"


PLAIN = {
    "reflect": ("A moment to reflect",
                "When you’re ready, jot down what went well and one thing you learned. "
                "A few lines is plenty."),
    "feedback": ("Ask for feedback?",
                 "A short, friendly note asking for feedback can turn a no into something "
                 "useful. There’s a draft ready for you."),
    "feedback_followup": ("Still waiting on feedback?",
                          "No reply yet? A gentle follow-up is fine, and so is letting it go."),
    "support": ("Reach out to someone",
                "A no is easier shared. A quick message to someone in your corner can help."),
    "checkin": ("Time to check in",
                "It has been a while since you caught up with someone in your circle. "
                "A short hello is enough."),
    "break": ("Time for a breather?",
              "Rejections add up. A short break, a walk, some sleep or time with friends, "
              "is part of the process too."),
    "apply": ("Ready for one more?",
              "Whenever it feels right, one more application keeps things moving. No rush."),
    "welcome_back": ("Welcome back",
                     "Hope the break did you good. When you’re ready, one small step on an "
                     "application is plenty."),
    "big_picture": ("Your week, in perspective",
                    "Take a look at your week: every application, talk and pause counts."),
}

DETAILED = {
    "reflect": "When you’re ready, jot down what you learned from {company}. "
               "A few lines is plenty.",
    "feedback": "A short, friendly note asking {company} for feedback could be useful. "
                "There’s a draft ready for you.",
    "feedback_followup": "No reply from {company} yet? A gentle follow-up is fine, "
                         "and so is letting it go.",
    "support": "A no is easier shared. How about a quick message to {contact}?",
    "checkin": "It has been a while since you caught up with {contact}. "
               "A short hello is enough.",
    "apply": "After {company}, one more application keeps things moving. "
             "Whenever it feels right.",
}


def _figures_line(figures):
    """"This week: 3 applications, 1 interview and 2 reach-outs." (counts above zero)."""
    parts = [f"{count} {label[:-1] if count == 1 else label}" for label, count in figures if count]
    if not parts:
        return None
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"This week: {listed}. Every step counts, and so does every pause."


def text_for(variant, detailed, company=None, contact=None, figures=()):
    """(title, body) of a nudge variant; names only when `detailed` and known. Counts
    (`figures`) carry no names, so they show on any lock screen."""
    title, body = PLAIN[variant]
    body = _figures_line(figures) or body
    template = DETAILED.get(variant)
    needs = [k for k in ("company", "contact") if "{" + k + "}" in (template or "")]
    values = {"company": _name(company), "contact": _name(contact)}
    if detailed and template and all(values[k] for k in needs):
        body = template.format(**values)
    return title, body[:MAX_BODY]


def plain_again(title, body):
    """The name-free words of the nudge titled `title`: what a cancelled nudge keeps,
    since it still syncs and exports after its rejection or contact is gone."""
    for plain_title, plain_body in PLAIN.values():
        if plain_title == title:
            return plain_title, plain_body
    return title, body
