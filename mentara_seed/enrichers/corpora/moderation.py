"""Reports on community content and reasons for blocking another user.

A report is (reason, reporter's note); the moderator's outcome is the report status. Dismissed
reports are the queue's usual false positives; reviewed ones are the kind a moderator acts on.
"""

REVIEWED = (
    ("Spam", "Same message posted in several rooms with a link to an outside page."),
    ("Misinformation about medication",
     "Tells people to stop their medication without talking to a doctor."),
    ("Self-promotion", "Advertising a paid coaching program in a support room."),
    ("Harassment", "Keeps replying to me after I asked them to stop."),
    ("Sharing personal information", "Includes another member's full name and workplace."),
    ("Unverified treatment claims", "Recommends a supplement as a cure for anxiety."),
    ("Inappropriate language", "Insulting language toward another member."),
)

DISMISSED = (
    ("Off-topic", "This does not seem related to the room."),
    ("Misinformation about medication", "Not sure this advice is accurate."),
    ("Spam", "Looks like a repeated post."),
    ("Triggering content without a warning", "Could use a content note at the top."),
    ("Harassment", "Felt dismissive of the original post."),
    ("Other", "Just want a moderator to take a look."),
)

PENDING = REVIEWED + DISMISSED

# A moderator's own report, found while reviewing their communities.
FILED = (
    ("Spam", "Found during a routine review: the same link posted in three rooms."),
    ("Misinformation about medication",
     "Advice to change a dose without a doctor; hidden until reviewed."),
    ("Self-promotion", "Paid program advertised in a peer-support room; member reminded of "
                       "the rules."),
    ("Sharing personal information", "Names another member's workplace; edited out and "
                                     "flagged for the record."),
    ("Inappropriate language", "Insults in a heated thread; member warned."),
    ("Unverified treatment claims", "Promotes a supplement as a cure; flagged for an admin."),
    ("Off-topic", "Long off-topic thread; flagged to keep the room focused."),
)

BLOCK_REASONS = (
    "Unwanted private messages",
    "Kept commenting on my posts after I asked for space",
    "Makes me uncomfortable",
    "Personal reasons",
    "Repeatedly dismissive of my experiences",
    None,
    None,
)
