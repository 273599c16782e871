"""Peer-support discussion posts by community theme: (title, content), in a fixed order.

Written in the voice of members of a Philippine mental-health platform. Tasteful on purpose:
no crisis or self-harm detail, no numbers or diet talk in recovery themes, no medication doses.
"""

ANXIETY = (
    ("Does anyone else rehearse conversations for hours?",
     "Before every meeting I replay what I will say a dozen times, and afterwards I replay what "
     "I actually said. It is exhausting. How do you stop the loop?"),
    ("Panic on the MRT this morning",
     "It came out of nowhere between stations. I used the 5-4-3-2-1 grounding trick and "
     "counted the stops until mine. I made it to work, just shaky. Small victory I guess."),
    ("The 'what if' spiral before travelling",
     "Flying to Cebu next week for my cousin's wedding and my brain has already imagined every "
     "way it could go wrong. Writing the worries down helped a little."),
    ("Worry time actually works for me",
     "My therapist suggested a fixed 15-minute 'worry time' every evening. When a worry shows "
     "up during the day I jot it down and save it for later. Two weeks in, it helps."),
    ("Chest tightness and the urge to Google",
     "Every time my chest feels tight I want to search symptoms. My doctor already checked me. "
     "I am trying to sit with it for ten minutes before I do anything. Anyone else?"),
    ("Saying no without apologising five times",
     "Declined an extra project today with one sentence. My heart was pounding but nothing bad "
     "happened. Practising this a lot more."),
    ("Social anxiety at family gatherings",
     "Every reunion the titas ask about work, love life, weight, everything. I end up hiding in "
     "the kitchen. How do you all handle the questions?"),
    ("Breathing exercises that are not just 'breathe'",
     "Box breathing (in 4, hold 4, out 4, hold 4) is the only one that sticks for me. Sharing "
     "in case it helps, and curious what works for you."),
    ("Anxiety after a good day",
     "Weirdly, the days that go well are when I feel most on edge at night, like I am waiting "
     "for something to go wrong. Is this a common thing?"),
)

DEPRESSION = (
    ("Showered and made the bed today",
     "It sounds tiny but it took most of my energy. Posting here because I know you will get "
     "why it counts."),
    ("The heaviness in the mornings",
     "Mornings are the worst. I lie there knowing what I need to do and my body will not move. "
     "Has anyone found a routine that makes the first hour easier?"),
    ("Telling my family I am not okay",
     "I finally told my mom I have been struggling. She did not fully understand but she "
     "listened, and she brought me merienda. It felt lighter afterwards."),
    ("Losing interest in things I used to love",
     "I used to paint every weekend. Now the brushes just sit there. My counselor says to do "
     "five minutes without expecting to enjoy it. Trying that this week."),
    ("Low season again",
     "The rainy months always pull me down. Reminding myself it has passed before and it will "
     "pass again. Checking in so I do not isolate."),
    ("Is it normal to feel numb instead of sad?",
     "People expect depression to look like crying. For me it is more like everything is "
     "behind glass. Would love to hear how others describe it."),
    ("What helps you on the really flat days",
     "Mine: open the window, drink water, text one person, step outside for a few minutes. "
     "Not magic, but it keeps the day from disappearing completely."),
    ("Mood tracking for a month",
     "I started rating my mood every night. Seeing patterns (bad sleep, skipped meals) made it "
     "feel less random and gave me something concrete to bring to my sessions."),
    ("Going back to work after a break",
     "Returning to the office on Monday after a month of leave. Nervous about questions. Any "
     "advice on what to say, or not say?"),
)

GRIEF = (
    ("First Undas without my lola",
     "Visited the cemetery with my cousins. We brought her favourite kakanin and told stories. "
     "I cried a lot, but I also laughed. Grief is strange."),
    ("Grief comes in waves",
     "I was fine at the grocery and then I saw the brand of coffee my dad always bought. Had to "
     "stand in the aisle for a while. Does it ever get less sudden?"),
    ("Keeping their voice memos",
     "I still have voicemails from my brother. I cannot listen to them yet, but I cannot delete "
     "them either. Is anyone else holding onto something like this?"),
    ("People stopped asking how I am",
     "Everyone checked in the first month. Now it is as if it did not happen. The quiet is "
     "harder than the funeral was."),
    ("Losing a pet counts too",
     "My dog of twelve years passed last week. Some people said 'it is just a dog'. It is not. "
     "The house feels empty."),
    ("Writing letters to my mother",
     "Started writing her a letter every Sunday, telling her about my week. It feels a bit "
     "silly, but it helps me feel connected."),
    ("Anniversary coming up",
     "One year next week. I do not know whether to keep busy or take the day off. What did you "
     "do on the first anniversary?"),
    ("Guilt about laughing again",
     "I had a genuinely good day with friends and felt guilty afterwards. Like I was forgetting. "
     "I know that is not how it works, but the feeling is there."),
)

ADHD = (
    ("Body doubling saved my thesis week",
     "Working on a video call with a friend, both on mute, got me through three chapters. I "
     "cannot explain why it works but it does."),
    ("Diagnosed at 29 and processing",
     "Got my adult ADHD diagnosis last month. Relief and grief at the same time: so many years "
     "of thinking I was just lazy."),
    ("Timers everywhere",
     "I set a timer for everything now: cooking, emails, even showers. My phone sounds like an "
     "alarm clock factory but I am late far less often."),
    ("Forgot the bills again",
     "Third month in a row I paid a late fee. Setting up auto-debit this weekend. How do you "
     "keep track of recurring things?"),
    ("Hyperfocus ate my Saturday",
     "Sat down to fix one thing on my bike and looked up eight hours later, no lunch. Fun but "
     "I need a way to come up for air."),
    ("Explaining ADHD to my partner",
     "They think I do not listen because I do not care. I do care. Looking for resources that "
     "explain it kindly, in Filipino if possible."),
    ("The 'wall of awful' before starting a task",
     "The longer I avoid a task the bigger the wall gets. Breaking it into ridiculous first "
     "steps (open the laptop, open the file) helps me climb it."),
    ("Routines that survive a bad week",
     "My routine falls apart the moment something unexpected happens. Trying a 'minimum "
     "version' of each habit for the bad weeks."),
)

SLEEP = (
    ("Awake at 3 a.m. again",
     "Mind racing about work. Tried getting up and reading in dim light like CBT-I suggests "
     "instead of lying there. Fell asleep around 4:30. Progress?"),
    ("Night shift and sleep",
     "I work BPO night shift and sleep during the day. Blackout curtains and earplugs help, "
     "but the tricycles outside still wake me. Tips from fellow night-shifters?"),
    ("Two weeks without screens in bed",
     "Charging my phone in the kitchen now. The first few nights were rough. This week I am "
     "falling asleep faster."),
    ("Sleep restriction is hard",
     "My therapist has me on a fixed sleep window. I am so tired in the afternoons, but she "
     "says it consolidates sleep. Anyone been through it?"),
    ("Bedtime worry journal",
     "Writing tomorrow's to-do list and worries an hour before bed keeps them from ambushing "
     "me at midnight. Simple but effective for me."),
    ("Naps: yes or no?",
     "I crash after lunch and nap for two hours, then cannot sleep at night. How do you handle "
     "the afternoon slump without a long nap?"),
    ("Same wake-up time, even on weekends",
     "This was the single most useful change. Not fun on Sundays, but my nights are steadier."),
    ("Sounds that help you sleep",
     "Rain sounds work for me; my partner prefers a fan. What is on your sleep playlist?"),
)

BURNOUT = (
    ("Burned out and still logging in",
     "I keep telling myself I will rest after this deadline, then the next one arrives. I know "
     "this is not sustainable. How did you finally make a change?"),
    ("Setting boundaries with a boss who messages at 11 p.m.",
     "I turned off work notifications after 8 p.m. Nobody has complained yet. My anxiety about "
     "it is louder than anything my boss has said."),
    ("Board exam review is draining me",
     "Reviewing twelve hours a day for the boards. I feel like a zombie. How do you keep going "
     "without burning out before exam day?"),
    ("Taking my first real vacation in three years",
     "Filed leave for a week and I am not bringing my laptop. Scared and excited."),
    ("Caregiving plus a full-time job",
     "Looking after my dad after work and on weekends. I love him but I have nothing left for "
     "myself. Anyone in the same spot?"),
    ("Signs I missed",
     "Looking back, the signs were there for months: irritability, headaches, dreading Sundays. "
     "Sharing so someone else might notice sooner."),
    ("Commute stress is real",
     "Two hours each way on EDSA. I started using the ride for podcasts instead of emails and "
     "arrive a little less fried."),
    ("Quiet quitting or just surviving?",
     "I do my job well but I stopped volunteering for everything. It feels like the first "
     "healthy boundary I have set at work."),
)

RECOVERY = (
    ("Recovery is not a straight line",
     "Had a tough week and felt like I was back at the start. My counselor reminded me that "
     "setbacks are part of it. Trying to be gentle with myself."),
    ("Finding new routines for weekends",
     "Weekends used to be the hardest. Now I plan something small: a walk at the park, a "
     "meeting, lunch with my sister. Structure helps."),
    ("Telling friends about my recovery",
     "Opened up to two close friends. They asked good questions and did not make it weird. "
     "Grateful."),
    ("Family events and triggers",
     "Fiesta season is coming and I am nervous about the food and the drinks. Making a plan "
     "with my therapist on how to leave early if I need to."),
    ("Celebrating a milestone quietly",
     "Hit a milestone this week. Did not make a big deal of it, just bought myself flowers. "
     "Wanted to share it with people who understand."),
    ("Coping skills that actually stuck",
     "Urge surfing and calling someone before acting have been the two that work for me. "
     "What has stuck for you?"),
    ("Going at my own pace",
     "Trauma recovery is slow. Some weeks I can talk about it, some weeks I cannot. Learning "
     "that both are okay."),
)

RELATIONSHIPS = (
    ("Boundaries with family who mean well",
     "My parents call every day to check if I have eaten and who I am with. I love them but I "
     "need space. How do you set limits kindly?"),
    ("Coming out to my cousin first",
     "Told my favourite cousin this weekend. She hugged me and said she already knew. Not ready "
     "for everyone else yet, but it was a good first step."),
    ("Long-distance with an OFW partner",
     "My partner works in Dubai. The time difference and missed calls make me anxious. How do "
     "other couples manage the distance?"),
    ("Caring for a parent with dementia",
     "Some days my mom does not recognise me. I am learning to meet her where she is. This "
     "community helps me not feel alone."),
    ("Learning to fight fair",
     "We tried the 'time out' rule: when it gets heated, we pause for twenty minutes and come "
     "back. It has saved a few evenings."),
    ("When friends drift apart",
     "A friendship of ten years is fading and I do not know if I should try to save it or let "
     "it go. Any perspective welcome."),
    ("Asking for help without feeling like a burden",
     "I always offer help but never ask for it. Trying to change that this month."),
)

SELF_CARE = (
    ("Five-minute morning stretch",
     "Not a fitness thing, just moving before I check my phone. My mornings feel less rushed."),
    ("A walk without headphones",
     "Walked around the block with no music or podcast. Noticed the birds and the smell of "
     "pandesal from the bakery. Ten minutes that reset my day."),
    ("Rest is productive too",
     "Reminding myself (and you) that a slow Sunday is not wasted. It is maintenance."),
    ("Body scan before bed",
     "Started doing a ten-minute guided body scan. Some nights I fall asleep halfway through, "
     "which I count as a success."),
    ("Noticing thoughts instead of following them",
     "Meditation is teaching me I can watch a thought go by like a jeepney without getting on. "
     "Still hard, but easier than a month ago."),
    ("Journaling prompts that helped me",
     "What drained me today? What filled me up? One thing I can let go of? Three questions, "
     "five minutes."),
    ("Unfollowing accounts that made me feel worse",
     "Cleaned up my feed this week. Fewer comparison spirals already."),
)

THEMES = {
    "anxiety": ANXIETY,
    "depression": DEPRESSION,
    "grief": GRIEF,
    "adhd": ADHD,
    "sleep": SLEEP,
    "burnout": BURNOUT,
    "recovery": RECOVERY,
    "relationships": RELATIONSHIPS,
    "selfcare": SELF_CARE,
}
