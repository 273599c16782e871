"""Chat scripts for conversations: therapist-client check-ins and scheduling, peer support
between community members, colleague exchanges between therapists, group and support chats.

A script is a tuple of (speaker, text). Speakers: ``C``/``T`` (client, therapist) in care
chats, ``A``/``B`` in peer and colleague chats (symmetric: either user may be ``A``), member
indexes ``0``..``4`` in group chats (an index past the group's size drops the line) and ``T``
plus client indexes in therapist-led support chats. Two-person scripts alternate strictly.
A text starting with ``> `` is a reply to the message just before it. Placeholders: {client},
{therapist}, {a}, {b} (first names), {community} (the shared community's name).
"""

CARE_SCRIPTS = (
    (
        ("T", "Hi {client}, just checking in after our last session. How did the breathing "
              "exercise go this week?"),
        ("C", "Hi {therapist}! It helped, especially before my commute. I managed it on four "
              "out of seven days."),
        ("T", "That's real progress. Did you notice anything different on the days you "
              "skipped it?"),
        ("C", "I think I was more on edge by lunchtime. I'll try to do it even when I'm "
              "running late."),
        ("T", "> Good observation. Even two minutes counts. Let's look at your log together "
              "next session."),
        ("C", "Sounds good. Salamat po!"),
    ),
    (
        ("C", "Hi {therapist}, would it be possible to move our Thursday session? I have a "
              "deadline at work that day."),
        ("T", "Hi {client}, no problem. I have Friday at 10:00 AM or Monday at 3:00 PM open. "
              "Which works better?"),
        ("C", "> Friday at 10 would be perfect."),
        ("T", "Done, I've moved it to Friday 10:00 AM. The video link stays the same."),
        ("C", "Thank you so much for accommodating."),
        ("T", "Of course. Good luck with the deadline, and remember the short breaks we "
              "talked about."),
    ),
    (
        ("T", "Good morning {client}! A gentle reminder about the thought record worksheet. "
              "It doesn't have to be perfect."),
        ("C", "Morning! I started it but got stuck on the 'alternative thought' column."),
        ("T", "> That column is the hardest part for most people. Try asking: what would I "
              "tell a friend in this situation?"),
        ("C", "Oh, that actually makes it easier. I'll finish it tonight."),
        ("T", "Great. Bring it to our session and we'll go through it together."),
    ),
    (
        ("C", "Hi {therapist}, small update: I kept my phone out of the bedroom for five "
              "nights straight."),
        ("T", "That's wonderful, {client}! How has your sleep been?"),
        ("C", "Still waking up around 3 a.m. sometimes, but I fall back asleep faster."),
        ("T", "That's a meaningful change. When you wake up, are you still getting up after "
              "20 minutes like we planned?"),
        ("C", "Mostly yes. I read a paperback in the living room until I feel sleepy."),
        ("T", "> Perfect, that's exactly the idea. Let's keep the sleep diary going one more "
              "week."),
        ("C", "Will do. See you next session!"),
    ),
    (
        ("T", "Thanks for our session, {client}. As we discussed, this week's focus is "
              "noticing one moment each day when the worry eases."),
        ("C", "Thank you, {therapist}. Should I write them down or just notice them?"),
        ("T", "> Writing them down helps. A short note on your phone is enough."),
        ("C", "Okay, I can do that during my break at work."),
        ("T", "Sounds like a plan. Message me here if anything comes up before our next "
              "session."),
    ),
    (
        ("C", "Hi {therapist}, I'm having trouble joining the video call. The page keeps "
              "loading."),
        ("T", "Hi {client}, try refreshing or switching to the Mentara app. I'll wait for you "
              "in the room."),
        ("C", "It works on the app. Joining now!"),
        ("T", "Great, I can see you connecting."),
        ("C", "Sorry for the delay, our Wi-Fi at home is acting up again."),
        ("T", "> No worries at all. We'll just start a few minutes later."),
    ),
    (
        ("T", "Hi {client}, see you tomorrow at 4:00 PM. Is there anything you'd like us to "
              "prioritize?"),
        ("C", "I'd like to talk about setting boundaries with my family during the holidays."),
        ("T", "> That's a good topic to prepare for, especially with Noche Buena coming up. "
              "I'll bring a short worksheet on assertive communication."),
        ("C", "Thank you. I've been thinking about it a lot."),
        ("T", "It's good that you're planning ahead. Take care tonight."),
    ),
    (
        ("C", "{therapist}, I wanted to share: I used the 5-4-3-2-1 grounding exercise during "
              "a stressful meeting today and it worked."),
        ("T", "I'm really glad to hear that, {client}. What did you notice afterwards?"),
        ("C", "My hands stopped shaking and I could actually present my part."),
        ("T", "> That's a big step. You stayed in the room and did the thing that felt hard."),
        ("C", "It felt good. I'm a bit tired now though."),
        ("T", "That's normal after a day like that. Be kind to yourself tonight, and let's "
              "unpack it in our next session."),
    ),
    (
        ("T", "Hi {client}, a heads-up: I'll be at a training next Wednesday, so I'm offline "
              "that day."),
        ("C", "Thanks for letting me know! Should we move our session?"),
        ("T", "Yes, could we do Tuesday at the same time instead?"),
        ("C", "> Tuesday works for me."),
        ("T", "Great, I've updated the schedule. You should see it in your appointments."),
    ),
    (
        ("C", "Hi {therapist}, is it okay if I share a journal entry before our session? It's "
              "easier than saying it out loud."),
        ("T", "Of course, {client}. Share whatever feels comfortable, and we'll go at your "
              "pace."),
        ("C", "Thank you. I'll add it to my journal tonight and share it with you."),
        ("T", "> I'll read it before we meet. Thank you for trusting me with it."),
        ("C", "Salamat, {therapist}. That means a lot."),
    ),
)

# A client and a therapist before their first session together: nothing here refers to a
# session that happened.
INTAKE_SCRIPTS = (
    (
        ("T", "Hi {client}, welcome to Mentara! I'm {therapist}. I'm looking forward to our "
              "first session."),
        ("C", "Hi {therapist}, thank you. I'm a bit nervous, I've never done therapy before."),
        ("T", "> That's completely normal. We'll start by getting to know what brings you in, "
              "at your pace."),
        ("C", "That helps. Is there anything I should prepare?"),
        ("T", "Nothing formal. If you like, jot down two or three things you'd like to be "
              "different in a few months."),
        ("C", "Okay, I'll think about it this week. Salamat!"),
    ),
    (
        ("C", "Good evening {therapist}, quick question before we start: are the sessions by "
              "video or can we meet in person?"),
        ("T", "Good evening {client}! Both are possible; most of my clients start by video."),
        ("C", "> Video would be easier with my work schedule."),
        ("T", "Video it is. The link will appear in your appointments before each session."),
        ("C", "Perfect, thank you."),
        ("T", "You're welcome. Feel free to message me here if anything comes up."),
    ),
)

# A client writing to a therapist they met in a community, with no relationship (yet).
REACH_OUT_SCRIPTS = (
    (
        ("C", "Hi {therapist}, I saw your post in {community}. Are you taking new clients?"),
        ("T", "Hi {client}, thank you for reaching out. Yes, I have a few openings this month."),
        ("C", "That's great. I've been struggling for a while and I think it's time."),
        ("T", "> I'm glad you're taking this step. You can book a first consultation from my "
              "profile whenever you're ready."),
        ("C", "I'll do that tonight. Thank you for replying so quickly."),
        ("T", "Of course. Take care until then."),
    ),
    (
        ("C", "Hi {therapist}, thank you for your reply in {community}. Can I ask how therapy "
              "on Mentara works?"),
        ("T", "Hi {client}, of course. You book a session from a therapist's profile, and "
              "most sessions are by video."),
        ("C", "> Do I need to know what I want to talk about first?"),
        ("T", "Not at all. The first session is for getting to know what brings you in."),
        ("C", "That sounds less scary than I imagined. Thank you."),
        ("T", "You're welcome. Take your time deciding."),
    ),
)

PEER_SCRIPTS = (
    (
        ("A", "Hi {b}! I saw your post in {community} about morning routines. Mind if I "
              "message you?"),
        ("B", "Hi {a}! Of course, thanks for reaching out."),
        ("A", "Your tip about preparing everything the night before really helped me this "
              "week."),
        ("B", "> Really? I'm so glad! It took me months to make it stick."),
        ("A", "How do you keep going on the days you don't feel like it?"),
        ("B", "Honestly, I lower the bar. Some days 'done' just means I made my bed. That "
              "still counts."),
        ("A", "I needed to hear that today. Thank you."),
    ),
    (
        ("A", "Kumusta, {b}? How did the job interview go?"),
        ("B", "Hi {a}! I was so nervous but I think it went okay. I did the box breathing "
              "before going in."),
        ("A", "> That's amazing! Proud of you for showing up."),
        ("B", "Thank you! They said they'd get back to me next week."),
        ("A", "Fingers crossed. Whatever happens, you did the hard part."),
        ("B", "Salamat, that really means a lot."),
    ),
    (
        ("A", "Hey {b}, are you still up for the study-with-me video call tomorrow?"),
        ("B", "Yes! 7 PM still good?"),
        ("A", "> 7 PM works. Pomodoro style again, 25 on and 5 off?"),
        ("B", "Perfect. It's the only way I get anything done lately."),
        ("A", "Same. Having someone there makes it feel less heavy."),
        ("B", "See you tomorrow then!"),
    ),
    (
        ("A", "Hi {b}, I noticed you haven't posted in {community} for a while. Just checking "
              "in, no pressure to reply."),
        ("B", "Hi {a}, thank you for thinking of me. It's been a busy week, but I'm okay."),
        ("A", "Glad you're okay. Want to talk about it, or would a distraction be better?"),
        ("B", "> Distraction, please 😅 What are you reading these days?"),
        ("A", "A cozy mystery novel, nothing too serious. I can lend you my copy after."),
        ("B", "That sounds perfect. Thank you for this, really."),
    ),
    (
        ("A", "{b}! I finally tried the Saturday walking group you mentioned."),
        ("B", "No way! How was it?"),
        ("A", "Awkward for the first ten minutes, then surprisingly nice. Nobody made me talk."),
        ("B", "> That's exactly why I love it. Everyone just walks at their own pace."),
        ("A", "I think I'll go again next week. Want to come along?"),
        ("B", "Yes! Let's meet at the park entrance at 6:30."),
    ),
    (
        ("A", "Hi {b}, can I ask you something? How did you feel before your first therapy "
              "session?"),
        ("B", "Hi {a}! Honestly, super nervous. I almost canceled twice."),
        ("A", "That's me right now. My first session is on Friday."),
        ("B", "It gets easier once you start talking. You can even say you're nervous, "
              "therapists are used to that."),
        ("A", "> That's reassuring. I'll try to remember that."),
        ("B", "You've got this. Message me after if you want to debrief!"),
    ),
    (
        ("A", "Hi {b}, thank you for your comment on my post in {community}. It made my day."),
        ("B", "Hi {a}! I meant every word. You're doing better than you think."),
        ("A", "It's nice to talk to someone who gets it without needing to explain everything."),
        ("B", "> Right? That's what I like about the community too."),
        ("A", "Let's keep each other posted this week?"),
        ("B", "Deal. Small wins only, no judgment 😊"),
    ),
)

COLLEAGUE_SCRIPTS = (
    (
        ("A", "Hi {b}, are you accepting new clients for evening slots? I have a referral who "
              "needs after-work sessions."),
        ("B", "Hi {a}! I have two evening slots opening next month. Send the details through "
              "the referral form."),
        ("A", "> Will do, thank you. They're mainly working on workplace stress."),
        ("B", "That fits my caseload well. I'll reach out once I receive the form."),
        ("A", "Appreciate it. Let's catch up at the next peer supervision."),
    ),
    (
        ("A", "{b}, did you attend the trauma-informed care webinar last Saturday?"),
        ("B", "I did! The part on pacing sessions was really useful."),
        ("A", "I missed the second half. Do you have the slides?"),
        ("B", "> Yes, I'll send them over tonight."),
        ("A", "Thank you! Maybe we can run a short session on it for the {community} group."),
        ("B", "Good idea. Let's draft something next week."),
    ),
    (
        ("A", "Hi {b}, I'll be on leave for a week later this month. Could you be my backup "
              "contact for scheduling questions?"),
        ("B", "Sure, happy to help. Just add me to your out-of-office note."),
        ("A", "> Thank you! I'll brief you on anything pending before I go."),
        ("B", "Sounds good. Enjoy the break, you've earned it."),
        ("A", "Salamat, {b}. I'll return the favor anytime."),
    ),
    (
        ("A", "{b}, do you have a good Filipino-language handout on anxiety? A few of my "
              "clients prefer Tagalog materials."),
        ("B", "Yes, I adapted one last year. I'll share the PDF."),
        ("A", "That would be a big help. English handouts don't always land with older "
              "clients."),
        ("B", "> Agreed. I also have one on sleep hygiene in Tagalog if you want it."),
        ("A", "Please! I'll credit you when I share them."),
        ("B", "No need, just glad they're useful."),
    ),
)

GROUP_SCRIPTS = (
    (
        ("0", "Welcome, everyone! I made this chat so we can keep each other going between "
              "the {community} threads."),
        ("1", "Thanks for adding me! Good idea."),
        ("3", "Hi all, happy to be here 😊"),
        ("2", "Hello! Maybe we can each share one small goal for the week?"),
        ("0", "> Love that. Mine: a 15-minute walk after lunch, three times."),
        ("4", "Mine is drinking more water and logging off social media by 10 PM."),
        ("1", "Mine is to call my sister on Sunday. It's been a while."),
        ("2", "I'll try to journal for five minutes before bed."),
        ("0", "Perfect. Let's check in here on Friday!"),
    ),
    (
        ("1", "Friday check-in! How did everyone's week go?"),
        ("0", "Better than last week. I managed my goal on two of three days."),
        ("2", "> Two out of three is great! Mine was rough, but I still journaled most nights."),
        ("3", "I skipped my walks but I did reach out to a friend, which was my backup goal."),
        ("1", "That counts! Rough weeks are when showing up matters most."),
        ("4", "Agree. Sending good vibes to everyone this weekend 🙏"),
        ("0", "Same here. Same time next week?"),
        ("2", "Definitely."),
    ),
    (
        ("2", "Has anyone found a meditation app they actually stuck with?"),
        ("0", "I like the free ones with five-minute sessions. Longer ones make me restless."),
        ("1", "> Same! I do a body scan before sleep, it helps me wind down."),
        ("4", "I use a simple breathing timer, nothing fancy."),
        ("2", "Thanks! I'll start with the five-minute ones then."),
        ("3", "Also, the {community} resources room has a few guided audios in Filipino."),
        ("0", "Oh, I didn't know that. Checking it out now."),
        ("1", "Let us know how it goes!"),
    ),
)

SUPPORT_SCRIPTS = (
    (
        ("T", "Hello everyone, welcome to our {community} support group chat. This is a space "
              "for check-ins between sessions. Please keep what others share here "
              "confidential."),
        ("0", "Thank you for setting this up, {therapist}."),
        ("2", "Hi everyone! Looking forward to it."),
        ("T", "This week's theme is self-compassion. Try to notice one moment when you were "
              "kind to yourself."),
        ("1", "I'll try. I'm usually harder on myself than on anyone else."),
        ("0", "> Same here. Maybe we can remind each other."),
        ("T", "That's the spirit. We'll talk about what you noticed in our next session."),
    ),
    (
        ("T", "Good evening! A reminder that our group session is this Saturday at 10:00 AM "
              "in the Mentara video room."),
        ("1", "Noted, thank you!"),
        ("2", "See you all on Saturday 😊"),
        ("0", "Will there be a worksheet this time?"),
        ("T", "> Yes, a short one on noticing triggers. I'll post it here on Friday."),
        ("3", "Thank you! Looking forward to it."),
        ("1", "Is it okay to join a few minutes late? My shift ends at 9:45."),
        ("T", "> Of course, just join when you can."),
    ),
)

GROUP_TITLES = ("Weekly small wins", "Accountability circle", "Evening check-ins",
                "Study & self-care buddies", "Friday check-in crew")

SUPPORT_TITLES = ("Support group check-ins", "Coping skills group", "Between-sessions support")

# Reactions the app's picker offers first; every seeded reaction is one of these.
REACTION_EMOJI = ("👍", "❤️", "🙏", "😊", "👏", "🤗")

# A moderator of the community dropping in on one of its group chats: hello, note, closing
# ({community} is the community's name; the app shows who is writing).
MODERATOR_HELLOS = (
    "Hi everyone, one of the {community} moderators here.",
    "Hello all! Just dropping in from the {community} moderator team.",
    "Hi all, moderator here, from {community}.",
    "Good to see this chat going! I help moderate {community}.",
    "Hey everyone, popping in as one of the moderators of {community}.",
    "Hi! Quick hello from the {community} moderators.",
)
MODERATOR_NOTES = (
    "The community guidelines apply in group chats too, so please keep what others share "
    "here private.",
    "A quick reminder that this chat is peer support, not a substitute for professional care.",
    "If anything here feels too heavy, you can mute or leave the chat at any time.",
    "Please don't screenshot or forward what people share here.",
    "No pressure to reply to everything; everyone moves at their own pace.",
    "Advice about medication is best kept general, your doctor is the one to ask about "
    "changes.",
    "If someone seems to be in crisis, please share the crisis lines pinned in Helpful "
    "Resources and message me.",
)
MODERATOR_CLOSINGS = (
    "Message me anytime if something comes up.", "I'll check in now and then.",
    "Thanks for looking out for each other here.", "Carry on, you're doing great.",
    "Glad this space is here for you all.", "",
)
