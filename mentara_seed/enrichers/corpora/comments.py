"""Comments on community posts: peer replies (general and by theme), therapist-voiced replies,
and replies to other comments. Supportive and tasteful."""

PEER = (
    "Thank you for sharing this. You are not alone in feeling this way.",
    "This really resonates with me. Sending you a virtual hug.",
    "Proud of you for posting this. It takes courage.",
    "I went through something similar last year. It does get easier, slowly.",
    "Saving this post. I needed to read it today.",
    "Be gentle with yourself. One step at a time is still progress.",
    "That sounds really hard. I hope you have someone to lean on this week.",
    "Same here. Reading this made me feel less weird about it.",
    "Have you tried bringing this up with your therapist? It helped me a lot.",
    "Kaya mo 'yan. We are rooting for you.",
    "Thank you for putting into words what I could not.",
    "What helped me was writing things down before bed. Maybe worth a try?",
    "I am glad you reached out here. Please keep us posted.",
    "This community is lucky to have you. Your honesty helps.",
    "Rest when you need to. You do not have to earn it.",
    "Hugs from Davao. Hope tomorrow is lighter.",
    "I relate to this so much. Thank you for being open about it.",
    "It is okay to not be okay. Glad you are here.",
    "Reading this on my lunch break and nodding the whole time.",
    "You are doing better than you think.",
    "Thinking of you. Take it one day at a time.",
    "I had the same question. Following for the answers.",
)

CHEER = (
    "Small wins are still wins. Celebrating with you!",
    "That is a big step. Well done.",
    "Love this! Thank you for sharing the good news.",
    "This made my day. Keep going!",
    "So proud of you. Remember this on the harder days.",
    "Yay! That takes real effort.",
    "Ang galing! Happy for you.",
    "Saving this as motivation for my own week.",
)

WELCOME = (
    "Welcome! Glad you found us.",
    "Welcome to the group. Take your time, reading counts too.",
    "Hi and welcome! This is a kind corner of the internet.",
    "Welcome! You are in good company here.",
    "So glad you posted. Looking forward to getting to know you.",
    "Welcome, kapatid. We are here for you.",
)

THEMED = {
    "anxiety": (
        "Box breathing helps me too, especially in crowded places.",
        "The 'what if' spiral is the worst. Writing the worries down helps me see them clearly.",
        "I rehearse conversations too. My therapist calls it 'pre-living'. You are not alone.",
        "Grounding with cold water on my hands works for me when panic starts.",
    ),
    "depression": (
        "Getting out of bed counts. Some days that is the whole victory.",
        "The numb feeling is so real. For me it lifted slowly, not all at once.",
        "Opening the curtains first thing has helped my mornings a bit.",
        "Thank you for checking in instead of isolating. That matters.",
    ),
    "grief": (
        "I am so sorry for your loss. Grief is love with nowhere to go.",
        "I kept my dad's voicemails for two years before I could listen. Take your time.",
        "Anniversaries are hard. Doing something they loved helped me.",
        "Sending you strength. There is no right way to grieve.",
    ),
    "adhd": (
        "Body doubling changed my life too. Happy to co-work on a call sometime.",
        "Auto-debit for bills saved me so many late fees.",
        "The wall of awful is so real. Tiny first steps are the only way over it for me.",
        "Diagnosed at 31 here. The relief and grief mix is very familiar.",
    ),
    "sleep": (
        "Getting out of bed when I cannot sleep felt wrong at first but it helped.",
        "Night-shift solidarity! An eye mask and white noise app help me.",
        "Phone out of the bedroom was the best change I made this year.",
    ),
    "burnout": (
        "Turning off notifications after work was scary for me too, and so worth it.",
        "Please take that vacation. The work will still be there.",
        "Board exam review is a marathon. Rest days are part of the plan.",
    ),
}

THERAPIST = (
    "Thank you for sharing. What you describe is common, and it is treatable with support.",
    "As a therapist, I often suggest noticing the pattern without judging it first. "
    "Awareness is already a step.",
    "This is a great question to bring to your own therapist, who knows your history.",
    "Small, consistent steps tend to help more than big changes. You are on the right track.",
    "It may help to write down when this happens and what came before it. Patterns become "
    "clearer over a couple of weeks.",
    "Please remember peer support works best alongside professional care. You deserve both.",
    "Self-compassion here is important. Try talking to yourself as you would to a friend.",
    "Grounding techniques can help in the moment; longer-term, therapy can address what keeps "
    "the cycle going.",
    "What you are describing sounds exhausting. Rest and boundaries are part of recovery, not a "
    "reward for it.",
    "Well done for noticing this. Many people take years to put it into words.",
    "If this keeps getting in the way of daily life, a professional assessment can give you "
    "clearer options.",
    "Thank you for modelling such honesty in this community.",
)

THERAPIST_CHEER = (
    "This is real progress. Noticing and celebrating it helps it stick.",
    "Well done. Small, repeated steps like this are how change happens.",
    "What a meaningful step. Notice what made it possible this time.",
)

THERAPIST_WELCOME = (
    "Welcome! I hope this community feels like a safe place to share at your own pace.",
    "Welcome. Reaching out is already a step; we are glad you are here.",
)

REPLIES = (
    "Agree with this completely.",
    "This is such good advice, thank you for adding it.",
    "Same experience here. It helped me a lot too.",
    "Thank you, I did not know that worked for other people too.",
    "Yes! This is what my therapist told me as well.",
    "Could you share more about how you started?",
    "This made me smile. Thank you.",
    "Following this thread, it is really helpful.",
    "Well said. We need more reminders like this.",
    "I will try this tonight and report back.",
)
