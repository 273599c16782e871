"""Private journal entries: short, reflective, everyday. Nothing graphic, no crisis content."""

ENTRIES = (
    "Woke up before my alarm and actually felt rested. Small thing, but I'll take it.",
    "Traffic on EDSA was terrible again. I noticed my jaw clenching and tried the box breathing "
    "from my last session. It helped a little.",
    "Told my sister I couldn't make it to the reunion. I expected to feel guilty all day, but "
    "mostly I felt relieved. Writing that down so I remember boundaries are allowed.",
    "Three good things today: the rain stopped before my commute, lunch with Ate Joy, and I "
    "finished the report early.",
    "Rough day. Nothing dramatic, just heavy. I went to bed early instead of scrolling, and "
    "that was the kindest thing I could do for myself.",
    "Noticed I keep saying 'I should' in my head. Trying to change it to 'I could' for a week "
    "and see what happens.",
    "Walked around the block after dinner without my phone. Twenty minutes of just listening to "
    "the neighborhood. I want to do this more.",
    "Had the conversation with my manager about my workload. My hands were shaking, but she "
    "listened. We're splitting the project.",
    "Couldn't sleep until 2 a.m. again. Next time I'll get up and read instead of lying there "
    "rehearsing tomorrow.",
    "Mama called and asked how I really am. I almost said 'okay' out of habit, then told her "
    "the truth. It felt lighter after.",
    "The worksheet asked me to list what I can and can't control this week. The 'can't' list "
    "was longer, but the 'can' list was more useful.",
    "I cooked sinigang from scratch today. Cooking is one of the few times my mind goes quiet.",
    "Skipped the gym, didn't beat myself up about it. Progress.",
    "First session in a while where I didn't cry. Not sure if that's good or bad, but I felt "
    "steady.",
    "Anxious before the presentation, fine during it, exhausted after. The anticipation is "
    "always worse than the thing itself.",
    "Spent the afternoon with my lola. She told stories about the province and I forgot to "
    "check my email for four hours.",
    "Noticing that Sunday nights are hard for me. Planning something small to look forward to "
    "on Mondays.",
    "Read through old entries. A month ago I couldn't get out of bed some mornings. Today I "
    "made breakfast. That counts.",
    "Felt left out when my friends posted photos from a night out. Reminded myself I was the "
    "one who said I needed rest.",
    "My therapist asked what I'd tell a friend in my situation. I'd be so much gentler with "
    "them. Working on that.",
    "Paid all my bills today and sorted my budget. One less thing buzzing in the background.",
    "The brownout lasted three hours. Sat outside with the neighbors and laughed more than I "
    "have in weeks.",
    "Tried journaling right after waking up instead of at night. My thoughts are less tangled "
    "in the morning.",
    "Today was just okay, and I'm learning that okay is enough.",
    "Caught myself overthinking a text for twenty minutes. Sent it anyway. The reply was "
    "completely normal.",
    "Started a small plant on my windowsill. Something that needs me to show up a little every "
    "day without asking too much.",
    "Cried during a movie and didn't feel embarrassed. Feeling things is part of getting "
    "better, apparently.",
    "Grateful for the officemate who noticed I was quiet and brought me coffee without asking "
    "questions.",
    "My mind kept jumping between tasks today. Used the timer method: 25 minutes on, 5 off. Got "
    "through three things.",
    "Didn't want to go to church with the family, went anyway, and the singing helped more "
    "than I expected.",
    "Set my phone to grayscale after 9 p.m. Scrolled much less. Sleep was better.",
    "Long week. What helped: music on the jeep, a nap on Saturday, telling someone I was tired.",
    "I keep comparing my progress to other people's. This journal is only about me.",
    "Said no to an extra shift. The old me would have said yes and resented it for a week.",
    "Practiced the grounding exercise at the grocery when the crowd got overwhelming. Five "
    "things I can see, four I can touch. It worked.",
    "Had a good laugh with my cousin over old photos. I forget how much lighter I feel around "
    "family who knows me.",
    "I'm noticing patterns: tired and hungry makes everything feel worse. Snacks are self-care.",
    "Wrote a letter to my younger self. Didn't send it anywhere, but it felt important.",
    "Not a great day, not a terrible one. I showed up to my session and that matters.",
    "Finished a book for the first time in months. My focus is slowly coming back.",
)
