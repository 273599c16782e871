"""Notification templates, one family per NotificationType, as (title, message) pairs.

Placeholders: {name} (the other person's first name), {post} (a post title), {preview} (the
start of a message), {when} (a session time in Manila), {title} (a worksheet title), {due}
(a due date), {stars} (a rating), {amount} (a peso amount), {reason} (a payment failure),
{community} (a community name), {reason} (a report's reason), {date} (a day).
"""

TEMPLATES = {
    "COMMUNITY_REPLY": (
        ("New reply on your post", '{name} replied to your post "{post}".'),
        ("Someone replied to you", '{name} commented on "{post}".'),
    ),
    "MESSAGE_RECEIVED": (
        ("New message from {name}", "{preview}"),
        ("{name} sent you a message", "{preview}"),
    ),
    "APPOINTMENT_REMINDER": (
        ("Upcoming session", "Your session with {name} starts {when}."),
        ("Session reminder", "Reminder: you have a session with {name} {when}."),
    ),
    "APPOINTMENT_CONFIRMED": (
        ("Session confirmed", "Your session with {name} on {when} is confirmed."),
        ("Booking confirmed", "{name} confirmed your session on {when}."),
    ),
    "REVIEW_REQUEST": (
        ("How was your session?", "Tell us how your session with {name} went. Your feedback "
                                  "helps other clients find the right therapist."),
    ),
    "WORKSHEET_ASSIGNED": (
        ("New worksheet assigned", '{name} assigned you "{title}". Due {due}.'),
        ("You have a new worksheet", '"{title}" from {name} is due {due}.'),
    ),
    "REVIEW_RECEIVED": (
        ("New review", "{name} left you a {stars}-star review."),
        ("You received a review", "A {stars}-star review from {name} was posted on your "
                                  "profile."),
    ),
    "PAYMENT_SUCCESS": (
        ("Payment successful", "Your payment of {amount} for the session with {name} went "
                               "through."),
        ("Payment received", "We received your {amount} payment for your session with {name}."),
    ),
    "PAYMENT_FAILED": (
        ("Payment failed", "Your payment of {amount} for the session with {name} did not go "
                           "through: {reason} Please try again or use another method."),
    ),
    "COMMUNITY_WELCOME": (
        ("Welcome to {community}", "Say hello in the Introductions room and read the "
                                   "community guidelines when you have a moment."),
        ("You joined {community}", "Welcome! This is a safe space to share and listen."),
    ),
    "RELATIONSHIP_ESTABLISHED": (
        ("You're connected with {name}", "You can now message {name} and book sessions."),
    ),
    "THERAPIST_APPLICATION": (
        ("New therapist application", "{name} applied to practise on Mentara. Review their "
                                      "license and documents."),
        ("Application to review", "{name}'s therapist application is waiting for review."),
    ),
    "APPLICATION_WAITING": (  # a PENDING application brought up again
        ("Application still waiting", "{name} applied on {date} and is waiting for review."),
        ("Pending application", "{name}'s application ({date}) still needs a decision."),
    ),
    "REPORT_TO_REVIEW": (  # a moderator's, sent as COMMUNITY_POST (no report type exists)
        ("Report to review in {community}", 'A member reported content for "{reason}".'),
        ("New report in {community}", 'Content was flagged for "{reason}". Please take a '
                                      "look."),
    ),
}

# Shown when someone keeps their name off a review.
ANONYMOUS = "A client"
