"""Private journal entries, composed from parts: an opening, what happened, how it felt, what
helped, and a reflection. Short, everyday, local; nothing graphic, no crisis content. No part
names a session, a worksheet or a therapist: a client's journal may predate their care (and
many clients have no therapist), so it never refers to an event that may not have happened."""

OPENINGS = (
    "", "", "", "Quick one before bed.", "Morning pages.", "Late night entry.",
    "Sunday evening.", "Typing this on the jeep home.", "Lunch break entry.",
    "Couldn't sleep, so writing.", "Long day.", "Short entry today.", "Rainy afternoon.",
)

EVENTS = (
    "Woke up before my alarm and actually felt rested.",
    "Traffic on EDSA was terrible again and I noticed my jaw clenching.",
    "Told my sister I couldn't make it to the reunion.",
    "The rain stopped right before my commute and I had lunch with Ate Joy.",
    "Nothing dramatic happened today, it just felt heavy.",
    "Noticed I keep saying 'I should' in my head.",
    "Walked around the block after dinner without my phone.",
    "Had the conversation with my manager about my workload.",
    "Couldn't sleep until 2 a.m. again, rehearsing tomorrow.",
    "Mama called and asked how I really am.",
    "I cooked sinigang from scratch today.",
    "Skipped the gym this morning.",
    "Anxious before the presentation, fine during it, exhausted after.",
    "Spent the afternoon with my lola listening to her stories about the province.",
    "Sunday night dread showed up right on schedule.",
    "Read through old entries from a month ago.",
    "Friends posted photos from a night out I skipped.",
    "Paid all my bills and sorted my budget.",
    "The brownout lasted three hours and we sat outside with the neighbours.",
    "Caught myself overthinking a text for twenty minutes.",
    "Started a small plant on my windowsill.",
    "Cried during a movie tonight.",
    "An officemate noticed I was quiet and brought me coffee.",
    "My mind kept jumping between tasks all day.",
    "Went to church with the family even though I didn't want to.",
    "Said no to an extra shift.",
    "The grocery was packed and the crowd got to me.",
    "Had a good laugh with my cousin over old photos.",
    "Finished a book for the first time in months.",
    "My brother borrowed money again and I said yes without thinking.",
    "Got a message from an old friend out of nowhere.",
    "Spent most of the day in bed and only got up to eat.",
)

FEELINGS = (
    "I expected to feel guilty, but mostly I felt relieved.",
    "It felt heavier than it should have.", "I felt lighter after.",
    "Part of me was proud, part of me was tired.", "I felt steady, which is new.",
    "Honestly, it annoyed me more than it should have.", "I felt a little left out.",
    "I noticed my shoulders finally drop.", "I felt restless the whole afternoon.",
    "It made me miss home.", "I felt calmer than I expected.",
    "I was embarrassed for a minute, then I let it go.", "It left me drained.",
    "I felt oddly hopeful.", "I felt more like myself.",
)

HELPED = (
    "Box breathing on the walk home helped a little.",
    "I went to bed early instead of scrolling.", "A long shower reset me.",
    "Writing this down already helps.", "I made tea and sat by the window for a while.",
    "Music on the commute kept me going.", "I texted a friend instead of keeping it in.",
    "I used a 25-minute timer and got three things done.",
    "Five things I can see, four I can touch, and I was back.",
    "A nap on the sofa helped more than coffee.", "I ate a proper meal, which helped.",
    "I put my phone in another room for the evening.", "Stretching for ten minutes helped.",
    "A walk to the sari-sari store and back cleared my head.",
    "I set my phone to grayscale after 9 p.m.",
)

REFLECTIONS = (
    "", "Writing that down so I remember boundaries are allowed.",
    "Small thing, but I'll take it.", "Okay is enough today.",
    "The anticipation is always worse than the thing itself.",
    "I'd be so much gentler with a friend. Working on that.",
    "Tired and hungry makes everything feel worse. Snacks are self-care.",
    "I keep comparing myself to other people. This journal is only about me.",
    "I want to do this more.", "Next time I'll try to notice it sooner.",
    "Progress, even if it doesn't look like it.", "That counts.",
    "Trying 'I could' instead of 'I should' for a week.", "One day at a time.",
    "Feeling things is part of getting better, apparently.",
)
