"""Posts for the other rooms of a community (introductions, check-ins, wins, questions to
therapists, therapists' own posts) and the community-slug -> theme map.

``{community}`` in a text is replaced by the community's name.
"""

# slug (without a "-2" circle suffix) -> theme key of corpora.posts.THEMES
THEME_BY_SLUG = {
    "adhd-support": "adhd",
    "anxiety-support": "anxiety",
    "panic-disorder-support": "anxiety",
    "social-anxiety-circle": "anxiety",
    "health-anxiety-support": "anxiety",
    "ocd-support": "anxiety",
    "depression-support": "depression",
    "bipolar-support": "depression",
    "postpartum-support": "depression",
    "bpd-support": "depression",
    "ptsd-trauma-recovery": "recovery",
    "eating-disorder-recovery": "recovery",
    "substance-use-recovery": "recovery",
    "insomnia-sleep": "sleep",
    "burnout-recovery": "burnout",
    "workplace-wellbeing": "burnout",
    "student-mental-health": "burnout",
    "grief-and-loss": "grief",
    "relationships-family": "relationships",
    "caregivers-circle": "relationships",
    "lgbtqia-support": "relationships",
    "self-care-corner": "selfcare",
    "mindfulness-meditation": "selfcare",
}

# (fragment of a slug, theme) for communities not in the map, first match wins
THEME_KEYWORDS = (
    ("adhd", "adhd"), ("anxi", "anxiety"), ("panic", "anxiety"), ("depress", "depression"),
    ("mood", "depression"), ("grief", "grief"), ("loss", "grief"), ("sleep", "sleep"),
    ("insomnia", "sleep"), ("burnout", "burnout"), ("stress", "burnout"), ("work", "burnout"),
    ("recovery", "recovery"), ("trauma", "recovery"), ("family", "relationships"),
)

QUESTIONS = {
    "anxiety": (
        ("How do I tell panic from a medical problem?",
         "My heart races and I get dizzy. My doctor cleared me, but I still worry it is "
         "something physical every time. How do therapists help with this?"),
        ("Is it okay to avoid things that make me anxious?",
         "Avoiding crowded places makes me feel better short-term. Is that making it worse?"),
        ("What is exposure therapy actually like?",
         "My therapist mentioned exposure work and I am scared. What happens in a session?"),
    ),
    "depression": (
        ("How do I know if therapy is working?",
         "Six sessions in and some weeks feel the same. What progress should I look for?"),
        ("Should I tell my employer about my depression?",
         "I might need time off for appointments. I am worried about how it will be seen."),
        ("Is it normal to feel worse before feeling better?",
         "Therapy is bringing up a lot. Some weeks I feel lower than when I started."),
    ),
    "grief": (
        ("When does grief become something to get help for?",
         "It has been eight months and I still cannot go into her room. Is that normal?"),
        ("How do I support my child after a loss in the family?",
         "My son is seven and keeps asking where his lolo went. What do I say?"),
    ),
    "adhd": (
        ("Does ADHD look different in women?",
         "I was never hyperactive as a kid, just daydreamy. Is it worth getting assessed?"),
        ("Coaching or therapy for ADHD?",
         "I have a diagnosis already. Would a coach or a therapist help more with daily life?"),
        ("How do I get an adult ADHD assessment here?",
         "Where do I start if I think I have ADHD? Do I need a referral first?"),
    ),
    "sleep": (
        ("What is CBT-I and how long does it take?",
         "My sleep has been bad for a year. I keep hearing about CBT-I. What is it like?"),
        ("Can anxiety alone cause insomnia?",
         "I fall asleep fine but wake at 3 a.m. with my mind racing. Is this anxiety?"),
    ),
    "burnout": (
        ("Is it burnout or depression?",
         "I am exhausted and cynical about work, but okay on weekends. How do you tell?"),
        ("How do I set boundaries without losing my job?",
         "My team messages at all hours. What is a realistic first step?"),
    ),
    "recovery": (
        ("How do I support myself after a setback?",
         "I had a lapse this week and I feel ashamed. How do I get back on track?"),
        ("How do I explain my triggers to family?",
         "They mean well but keep bringing up things that set me back. How do I say it?"),
    ),
    "relationships": (
        ("How do I talk to my parents about therapy?",
         "They think therapy is only for 'crazy' people. How do I explain why I go?"),
        ("Is couples counselling worth it if only one of us wants it?",
         "My partner is hesitant. Would it still help if I go first?"),
    ),
    "selfcare": (
        ("Where do I start with meditation?",
         "Every app feels overwhelming. What is a simple first practice?"),
        ("How much self-care is enough?",
         "I keep adding habits and then feel guilty when I skip them. Any guidance?"),
    ),
}

CHECKINS = (
    ("Daily check-in: tired but here", "Slept badly, work is busy, but I took my lunch break "
     "outside. Rating today a 5/10. How is everyone doing?"),
    ("Monday check-in", "Starting the week with a short list: three things, not ten. You?"),
    ("Check-in: a better day", "Energy is up a little. Went for a walk and called my sister."),
    ("Evening check-in", "Today was heavy. Not much to say, just checking in so I do not "
     "disappear."),
    ("Midweek check-in", "Halfway there. Drank enough water, ate real meals, small wins."),
    ("Check-in after a hard session", "Therapy brought up a lot today. Going easy on myself "
     "tonight: soup, a show, early bed."),
    ("Rainy day check-in", "Stuck inside because of the typhoon. Making tea and trying to "
     "not doom-scroll the news."),
    ("Weekend check-in", "Weekends are quiet for me, which can be good or lonely. Today was "
     "good. How about you?"),
    ("Morning check-in", "Woke up anxious, did my breathing exercise, feeling steadier now."),
    ("Friday check-in", "Made it through the week. Proud of everyone else who did too."),
)

WINS = (
    ("Went to my first session!", "I have been putting it off for a year. It was not as "
     "scary as I thought. My therapist was kind and easy to talk to."),
    ("Three weeks of journaling", "Not every entry is deep, but I have not missed a day."),
    ("Spoke up in a meeting", "My voice shook a little but I said what I needed to say."),
    ("Asked for help today", "Told my manager I was overwhelmed and she moved a deadline."),
    ("Cooked a real meal", "First time in weeks I cooked instead of ordering. Sinigang!"),
    ("Slept seven hours", "Do not remember the last time that happened. Celebrating."),
    ("Went to a family event and left when I needed to", "Stayed two hours, said my "
     "goodbyes and went home. No guilt. That is new for me."),
    ("Finished a book", "First book I have finished since everything got hard. Reading "
     "feels like mine again."),
    ("Walked 30 minutes every day this week", "Mostly around the subdivision, but it "
     "counts. My head feels clearer."),
    ("Said no to extra work", "And the world did not end. Recommend."),
)

INTROS = (
    ("Hi, longtime lurker here", "New to {community}. I joined because I have been struggling for "
     "a while and a friend recommended Mentara. Mostly here to listen for now."),
    ("Hello everyone", "Just joined {community}. I am in my twenties, working, and trying to "
     "understand myself better. Glad to find a kind space."),
    ("First post, a bit nervous", "I have read {community} for a few weeks before posting. "
     "Your stories made me feel less alone, so thank you."),
    ("New member here", "My therapist suggested joining {community} between sessions. Looking "
     "forward to learning from all of you."),
    ("Introducing myself", "Mom of two, working from home, finally making time for my own "
     "mental health. Happy to be in {community}."),
    ("Hi, student here", "College student here. Exams and life have been a lot lately. "
     "Hoping {community} can help me feel less alone."),
)

THERAPIST_POSTS = {
    "anxiety": (
        ("A therapist's note on grounding",
         "When anxiety spikes, naming five things you see and four you can touch brings your "
         "attention back to the present. It does not remove anxiety; it lowers the volume."),
        ("Why avoidance keeps anxiety going",
         "Avoiding a feared situation brings relief, and that relief teaches the brain the "
         "situation was dangerous. Small, planned steps toward it work better over time."),
    ),
    "depression": (
        ("Behavioural activation, in plain words",
         "Motivation often follows action, not the other way around. Pick one small, "
         "valued activity and schedule it, even if you do not feel like it."),
    ),
    "grief": (
        ("There is no timeline for grief",
         "Grief does not move in neat stages. If it feels heavier on anniversaries or "
         "holidays, that is common. Reaching out for support is always okay."),
    ),
    "adhd": (
        ("External structure is not cheating",
         "Reminders, timers and body doubling are tools, not crutches. Build your environment "
         "to fit how your attention works."),
    ),
    "sleep": (
        ("Three sleep habits worth trying first",
         "A fixed wake-up time, getting out of bed when you cannot sleep, and keeping the bed "
         "for sleep. Small changes, consistently applied, usually help more than gadgets."),
    ),
    "burnout": (
        ("Rest is part of the work",
         "Burnout recovery needs real rest, not just a weekend. Notice which tasks drain you "
         "and which restore you, and protect the restoring ones."),
    ),
    "general": (
        ("What to expect from a first therapy session",
         "We will mostly talk about what brings you in and what you hope will change. You do "
         "not need to have the right words. Questions about the process are welcome."),
        ("A reminder about this community",
         "Peer support is valuable, and it works best alongside professional care. If "
         "something here resonates strongly, consider bringing it to your next session."),
        ("Self-compassion is a skill",
         "Try speaking to yourself the way you would speak to a friend in the same situation. "
         "It feels awkward at first, and it gets easier with practice."),
    ),
}

CLOSERS = (
    "", "", "", "", "Thanks for reading.", "Any tips are welcome.",
    "Sending strength to everyone here.", "Salamat sa inyong lahat.",
    "Just needed to put this somewhere.", "Would love to hear your experiences.",
)
