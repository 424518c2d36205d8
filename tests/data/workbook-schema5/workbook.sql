--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: action_drafts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.action_drafts (
    draft_id integer NOT NULL,
    inspection_id character varying(60) NOT NULL,
    action_id character varying(60) NOT NULL,
    based_on integer,
    state text NOT NULL,
    saved_by character varying(60) NOT NULL,
    saved_at timestamp without time zone NOT NULL
);


--
-- Name: action_drafts_draft_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.action_drafts_draft_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: action_drafts_draft_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.action_drafts_draft_id_seq OWNED BY public.action_drafts.draft_id;


--
-- Name: action_heads; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.action_heads (
    inspection_id character varying(60) NOT NULL,
    action_id character varying(60) NOT NULL,
    update_id integer NOT NULL,
    revision_no integer NOT NULL
);


--
-- Name: action_updates; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.action_updates (
    update_id integer NOT NULL,
    inspection_id character varying(60) NOT NULL,
    action_id character varying(60) NOT NULL,
    revision_no integer NOT NULL,
    based_on integer,
    status character varying(20) NOT NULL,
    recorded_on date NOT NULL,
    narrative text NOT NULL,
    evidence text NOT NULL,
    flagged boolean NOT NULL,
    saved_by character varying(60) NOT NULL,
    saved_at timestamp without time zone NOT NULL
);


--
-- Name: action_updates_update_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.action_updates_update_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: action_updates_update_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.action_updates_update_id_seq OWNED BY public.action_updates.update_id;


--
-- Name: form_heads; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.form_heads (
    form_id integer NOT NULL,
    round_id character varying(60) NOT NULL,
    revision_id integer NOT NULL,
    revision_no integer NOT NULL,
    status character varying(20) NOT NULL
);


--
-- Name: forms; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.forms (
    form_id integer NOT NULL,
    round_id character varying(60) NOT NULL,
    case_id character varying(60) NOT NULL,
    agency character varying(60) NOT NULL,
    auditor character varying(60) NOT NULL,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: forms_form_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.forms_form_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: forms_form_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.forms_form_id_seq OWNED BY public.forms.form_id;


--
-- Name: grade_tallies; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.grade_tallies (
    round_id character varying(60) NOT NULL,
    status character varying(20) NOT NULL,
    criterion_id character varying(60) NOT NULL,
    agency character varying(60) NOT NULL,
    not_applicable boolean NOT NULL,
    grade integer NOT NULL,
    count integer NOT NULL
);


--
-- Name: moderation_drafts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.moderation_drafts (
    draft_id integer NOT NULL,
    round_id character varying(60) NOT NULL,
    case_id character varying(60) NOT NULL,
    based_on integer,
    state text NOT NULL,
    saved_by character varying(60) NOT NULL,
    saved_at timestamp without time zone NOT NULL
);


--
-- Name: moderation_drafts_draft_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.moderation_drafts_draft_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: moderation_drafts_draft_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.moderation_drafts_draft_id_seq OWNED BY public.moderation_drafts.draft_id;


--
-- Name: moderation_grades; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.moderation_grades (
    moderation_id integer NOT NULL,
    criterion_id character varying(60) NOT NULL,
    grade integer,
    not_applicable boolean NOT NULL,
    rationale text NOT NULL
);


--
-- Name: moderation_heads; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.moderation_heads (
    round_id character varying(60) NOT NULL,
    case_id character varying(60) NOT NULL,
    moderation_id integer NOT NULL,
    revision_no integer NOT NULL
);


--
-- Name: moderations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.moderations (
    moderation_id integer NOT NULL,
    round_id character varying(60) NOT NULL,
    case_id character varying(60) NOT NULL,
    overall_grade integer,
    strengths text NOT NULL,
    development text NOT NULL,
    themes text NOT NULL,
    revision_no integer NOT NULL,
    based_on integer,
    framework_id character varying(60) NOT NULL,
    framework_version character varying(40) NOT NULL,
    saved_by character varying(60) NOT NULL,
    saved_at timestamp without time zone NOT NULL
);


--
-- Name: moderations_moderation_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.moderations_moderation_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: moderations_moderation_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.moderations_moderation_id_seq OWNED BY public.moderations.moderation_id;


--
-- Name: revisions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.revisions (
    revision_id integer NOT NULL,
    form_id integer NOT NULL,
    status character varying(20) NOT NULL,
    revision_no integer NOT NULL,
    based_on integer,
    framework_id character varying(60) NOT NULL,
    framework_version character varying(40) NOT NULL,
    saved_by character varying(60) NOT NULL,
    saved_at timestamp without time zone NOT NULL,
    CONSTRAINT ck_status CHECK (((status)::text = ANY ((ARRAY['draft'::character varying, 'submitted'::character varying])::text[])))
);


--
-- Name: revisions_revision_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.revisions_revision_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: revisions_revision_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.revisions_revision_id_seq OWNED BY public.revisions.revision_id;


--
-- Name: round_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.round_events (
    event_id integer NOT NULL,
    round_id character varying(60) NOT NULL,
    action character varying(20) NOT NULL,
    by character varying(60) NOT NULL,
    at timestamp without time zone NOT NULL,
    reason text NOT NULL,
    CONSTRAINT ck_round_action CHECK (((action)::text = ANY ((ARRAY['close'::character varying, 'reopen'::character varying])::text[])))
);


--
-- Name: round_events_event_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.round_events_event_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: round_events_event_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.round_events_event_id_seq OWNED BY public.round_events.event_id;


--
-- Name: schema_info; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_info (
    key character varying(50) NOT NULL,
    value character varying(200) NOT NULL
);


--
-- Name: scores; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.scores (
    revision_id integer NOT NULL,
    criterion_id character varying(60) NOT NULL,
    grade integer,
    not_applicable boolean NOT NULL,
    note text NOT NULL
);


--
-- Name: action_drafts draft_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_drafts ALTER COLUMN draft_id SET DEFAULT nextval('public.action_drafts_draft_id_seq'::regclass);


--
-- Name: action_updates update_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_updates ALTER COLUMN update_id SET DEFAULT nextval('public.action_updates_update_id_seq'::regclass);


--
-- Name: forms form_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.forms ALTER COLUMN form_id SET DEFAULT nextval('public.forms_form_id_seq'::regclass);


--
-- Name: moderation_drafts draft_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.moderation_drafts ALTER COLUMN draft_id SET DEFAULT nextval('public.moderation_drafts_draft_id_seq'::regclass);


--
-- Name: moderations moderation_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.moderations ALTER COLUMN moderation_id SET DEFAULT nextval('public.moderations_moderation_id_seq'::regclass);


--
-- Name: revisions revision_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.revisions ALTER COLUMN revision_id SET DEFAULT nextval('public.revisions_revision_id_seq'::regclass);


--
-- Name: round_events event_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.round_events ALTER COLUMN event_id SET DEFAULT nextval('public.round_events_event_id_seq'::regclass);


--
-- Data for Name: action_drafts; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.action_drafts (draft_id, inspection_id, action_id, based_on, state, saved_by, saved_at) FROM stdin;
\.


--
-- Data for Name: action_heads; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.action_heads (inspection_id, action_id, update_id, revision_no) FROM stdin;
2026-02-jtai	A5.1	6	1
2026-02-jtai	A7.1	7	1
2026-02-jtai	A3.1	8	2
2026-02-jtai	A1.1	9	2
2026-02-jtai	A4.1	10	2
2026-02-jtai	A9.1	11	2
2026-02-jtai	A2.1	12	2
\.


--
-- Data for Name: action_updates; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.action_updates (update_id, inspection_id, action_id, revision_no, based_on, status, recorded_on, narrative, evidence, flagged, saved_by, saved_at) FROM stdin;
1	2026-02-jtai	A1.1	1	\N	on track	2026-06-19	Synthetic update: briefing for probation staff planned with the family safeguarding team.	Synthetic evidence: briefing plan	f	BUSINESS-MANAGER	2026-06-19 16:00:00
2	2026-02-jtai	A3.1	1	\N	on track	2026-06-12	Synthetic update: joint protection planning guidance drafted and agreed by the subgroup.	Synthetic evidence: draft guidance	f	BUSINESS-MANAGER	2026-06-12 16:00:00
3	2026-02-jtai	A4.1	1	\N	on track	2026-06-26	Synthetic update: prevention messages agreed with schools and the police.	Synthetic evidence: subgroup minutes	f	BUSINESS-MANAGER	2026-06-26 16:00:00
4	2026-02-jtai	A9.1	1	\N	on track	2026-07-03	Synthetic update: training on hearing the child's voice booked for all agencies.	Synthetic evidence: training calendar	f	BUSINESS-MANAGER	2026-07-03 16:00:00
5	2026-02-jtai	A2.1	1	\N	on track	2026-07-10	Synthetic update: data set agreed by the performance group.	Synthetic evidence: data set specification	f	BUSINESS-MANAGER	2026-07-10 16:00:00
6	2026-02-jtai	A5.1	1	\N	on track	2026-07-24	Synthetic update: designated safeguarding leads briefed on identifying concerns.	Synthetic evidence: attendance summary	f	BUSINESS-MANAGER	2026-07-24 16:00:00
7	2026-02-jtai	A7.1	1	\N	off track	2026-08-14	Synthetic update: the joint police and social care protocol is waiting for sign-off.	Synthetic evidence: protocol draft	f	BUSINESS-MANAGER	2026-08-14 16:00:00
8	2026-02-jtai	A3.1	2	1	complete	2026-08-27	Synthetic update: guidance in use in every team; the next audit round will show its effect.	Synthetic evidence: published guidance	f	BUSINESS-MANAGER	2026-08-27 16:00:00
9	2026-02-jtai	A1.1	2	1	at risk	2026-09-25	Synthetic update: briefings delayed by vacancies; a new date is agreed.	Synthetic evidence: risk log	f	BUSINESS-MANAGER	2026-09-25 16:00:00
10	2026-02-jtai	A4.1	2	1	on track	2026-09-30	Synthetic update: sessions delivered in most secondary schools.	Synthetic evidence: delivery tracker	f	BUSINESS-MANAGER	2026-09-30 16:00:00
11	2026-02-jtai	A9.1	2	1	on track	2026-10-02	Synthetic update: two thirds of practitioners trained so far.	Synthetic evidence: training records summary	f	BUSINESS-MANAGER	2026-10-02 16:00:00
12	2026-02-jtai	A2.1	2	1	at risk	2026-10-09	Synthetic update: health data not yet shared; escalated to the board.	Synthetic evidence: escalation note	f	BUSINESS-MANAGER	2026-10-09 16:00:00
\.


--
-- Data for Name: form_heads; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.form_heads (form_id, round_id, revision_id, revision_no, status) FROM stdin;
1	2025-12-maca	2	2	submitted
2	2025-12-maca	3	1	submitted
3	2025-12-maca	4	1	submitted
4	2025-12-maca	6	2	submitted
5	2025-12-maca	7	1	submitted
6	2025-12-maca	8	1	submitted
7	2025-12-maca	9	1	submitted
8	2025-12-maca	10	1	submitted
9	2025-12-maca	11	1	submitted
10	2025-12-maca	12	1	submitted
11	2025-12-maca	13	1	submitted
12	2025-12-maca	14	1	submitted
13	2025-12-maca	16	2	submitted
14	2025-12-maca	18	2	submitted
15	2026-03-maca	19	1	submitted
16	2026-03-maca	20	1	submitted
17	2026-03-maca	21	1	submitted
18	2026-03-maca	23	2	draft
19	2026-03-maca	24	1	submitted
20	2026-03-maca	25	1	submitted
21	2026-03-maca	26	1	submitted
22	2026-03-maca	27	1	submitted
23	2026-03-maca	28	1	draft
24	2026-03-maca	29	1	submitted
25	2026-03-maca	30	1	submitted
26	2026-03-maca	31	1	submitted
27	2026-03-maca	32	1	submitted
28	2026-03-maca	33	1	submitted
29	2026-03-maca	34	1	submitted
30	2026-03-maca	36	2	submitted
31	2026-03-maca	37	1	submitted
32	2026-03-maca	38	1	submitted
33	2026-03-maca	41	3	submitted
\.


--
-- Data for Name: forms; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.forms (form_id, round_id, case_id, agency, auditor, created_at) FROM stdin;
1	2025-12-maca	M2512-001	CSC	AUD-CSC-2	2026-01-09 07:54:00
2	2025-12-maca	M2512-001	Pol	AUD-POL-2	2026-01-18 06:51:00
3	2025-12-maca	M2512-001	Hlth	AUD-HLTH-2	2026-01-19 18:17:00
4	2025-12-maca	M2512-001	Prob	AUD-PROB-1	2026-01-19 00:42:00
5	2025-12-maca	M2512-002	CSC	AUD-CSC-2	2026-01-11 12:09:00
6	2025-12-maca	M2512-002	Pol	AUD-POL-1	2026-01-09 19:02:00
7	2025-12-maca	M2512-002	Edu	AUD-EDU-2	2026-01-12 07:59:00
8	2025-12-maca	M2512-003	CSC	AUD-CSC-1	2026-01-19 11:14:00
9	2025-12-maca	M2512-003	Pol	AUD-POL-2	2026-01-09 07:53:00
10	2025-12-maca	M2512-003	Prob	AUD-PROB-1	2026-01-11 19:54:00
11	2025-12-maca	M2512-004	CSC	AUD-CSC-2	2026-01-18 18:23:00
12	2025-12-maca	M2512-004	Pol	AUD-POL-2	2026-01-19 09:16:00
13	2025-12-maca	M2512-004	Hlth	AUD-HLTH-2	2026-01-16 22:23:00
14	2025-12-maca	M2512-004	Edu	AUD-EDU-1	2026-01-08 17:50:00
15	2026-03-maca	M2603-001	CSC	AUD-CSC-1	2026-04-17 20:43:00
16	2026-03-maca	M2603-001	Pol	AUD-POL-1	2026-04-20 22:34:00
17	2026-03-maca	M2603-001	Hlth	AUD-HLTH-2	2026-04-15 16:11:00
18	2026-03-maca	M2603-001	Edu	AUD-EDU-1	2026-04-18 03:17:00
19	2026-03-maca	M2603-001	VCS	AUD-VCS-1	2026-04-17 19:17:00
20	2026-03-maca	M2603-002	CSC	AUD-CSC-2	2026-04-13 02:38:00
21	2026-03-maca	M2603-002	Pol	AUD-POL-2	2026-04-16 12:31:00
22	2026-03-maca	M2603-002	Edu	AUD-EDU-2	2026-04-13 07:46:00
23	2026-03-maca	M2603-003	CSC	AUD-CSC-1	2026-04-11 01:22:00
24	2026-03-maca	M2603-003	Pol	AUD-POL-1	2026-04-17 07:21:00
25	2026-03-maca	M2603-003	Hlth	AUD-HLTH-1	2026-04-12 01:34:00
26	2026-03-maca	M2603-003	Edu	AUD-EDU-2	2026-04-11 00:53:00
27	2026-03-maca	M2603-004	CSC	AUD-CSC-1	2026-04-16 22:08:00
28	2026-03-maca	M2603-004	Pol	AUD-POL-2	2026-04-15 09:18:00
29	2026-03-maca	M2603-004	Hlth	AUD-HLTH-1	2026-04-14 18:19:00
30	2026-03-maca	M2603-004	Edu	AUD-EDU-1	2026-04-07 12:36:00
31	2026-03-maca	M2603-004	Prob	AUD-PROB-2	2026-04-15 10:58:00
32	2026-03-maca	M2603-004	VCS	AUD-VCS-2	2026-04-20 22:39:00
33	2026-03-maca	M2603-001	Prob	AUD-PROB-1	2026-04-20 09:30:00
\.


--
-- Data for Name: grade_tallies; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.grade_tallies (round_id, status, criterion_id, agency, not_applicable, grade, count) FROM stdin;
2025-12-maca	draft	1.1	CSC	f	3	0
2025-12-maca	draft	1.3	CSC	f	2	0
2025-12-maca	draft	1.4	CSC	t	0	0
2025-12-maca	draft	2.1	CSC	f	2	0
2025-12-maca	draft	2.2	CSC	f	1	0
2025-12-maca	draft	2.3	CSC	f	2	0
2025-12-maca	draft	2.4	CSC	t	0	0
2025-12-maca	draft	2.5	CSC	f	2	0
2025-12-maca	draft	2.6	CSC	f	1	0
2025-12-maca	draft	3.1	CSC	f	1	0
2025-12-maca	draft	3.3	CSC	f	3	0
2025-12-maca	submitted	1.4	CSC	t	0	1
2025-12-maca	submitted	2.2	CSC	f	1	1
2025-12-maca	submitted	2.4	CSC	t	0	1
2025-12-maca	submitted	2.5	CSC	f	2	1
2025-12-maca	submitted	3.1	CSC	f	1	1
2025-12-maca	submitted	4.1	CSC	f	2	1
2025-12-maca	submitted	4.4	CSC	f	2	1
2025-12-maca	submitted	5.1	CSC	f	2	1
2025-12-maca	submitted	6.3	CSC	f	1	1
2025-12-maca	submitted	7.2	CSC	f	2	1
2025-12-maca	submitted	2.1	Pol	f	1	1
2025-12-maca	submitted	2.6	Pol	f	1	1
2025-12-maca	submitted	5.3	Pol	f	2	1
2025-12-maca	submitted	1.2	Hlth	f	1	1
2025-12-maca	submitted	1.4	Hlth	t	0	1
2025-12-maca	submitted	2.1	Hlth	f	2	1
2025-12-maca	submitted	2.2	Hlth	f	1	1
2025-12-maca	submitted	2.6	Hlth	t	0	1
2025-12-maca	submitted	3.2	Hlth	t	0	1
2025-12-maca	submitted	4.2	Hlth	f	2	1
2025-12-maca	submitted	4.4	Hlth	f	3	1
2025-12-maca	submitted	5.1	Hlth	f	1	1
2025-12-maca	submitted	5.3	Hlth	f	3	1
2025-12-maca	submitted	6.1	Hlth	f	1	1
2025-12-maca	submitted	6.3	Hlth	t	0	1
2025-12-maca	draft	1.3	Prob	f	1	0
2025-12-maca	draft	2.1	Prob	f	2	0
2025-12-maca	draft	2.2	Prob	f	2	0
2025-12-maca	draft	2.3	Prob	f	2	0
2025-12-maca	draft	3.1	Prob	f	2	0
2025-12-maca	draft	3.2	Prob	f	2	0
2025-12-maca	draft	4.1	Prob	f	2	0
2025-12-maca	draft	4.2	Prob	f	1	0
2025-12-maca	submitted	1.3	Prob	f	1	1
2025-12-maca	submitted	2.3	Prob	f	2	1
2025-12-maca	submitted	4.2	Prob	f	1	1
2025-12-maca	submitted	4.3	Prob	t	0	1
2025-12-maca	submitted	5.1	Prob	f	2	1
2025-12-maca	submitted	5.3	Prob	f	3	1
2025-12-maca	submitted	7.2	Prob	f	2	1
2025-12-maca	submitted	1.1	CSC	f	4	1
2025-12-maca	submitted	2.2	CSC	f	4	1
2025-12-maca	submitted	2.3	CSC	t	0	1
2025-12-maca	submitted	2.4	CSC	f	4	1
2025-12-maca	submitted	2.5	CSC	f	4	1
2025-12-maca	submitted	2.6	CSC	f	3	1
2025-12-maca	submitted	3.1	CSC	f	4	1
2025-12-maca	submitted	4.1	CSC	f	4	1
2025-12-maca	submitted	4.2	CSC	f	4	1
2025-12-maca	submitted	4.5	CSC	f	4	1
2025-12-maca	submitted	5.3	CSC	f	4	1
2025-12-maca	submitted	6.2	CSC	f	4	1
2025-12-maca	submitted	6.4	CSC	f	3	1
2025-12-maca	submitted	7.1	CSC	f	4	1
2025-12-maca	submitted	1.1	Pol	f	4	1
2025-12-maca	submitted	1.2	Pol	f	4	1
2025-12-maca	submitted	2.3	Pol	t	0	1
2025-12-maca	submitted	2.5	Pol	f	4	1
2025-12-maca	submitted	2.6	Pol	f	4	1
2025-12-maca	submitted	3.1	Pol	f	3	1
2025-12-maca	submitted	3.2	Pol	f	3	1
2025-12-maca	submitted	4.1	Pol	f	4	1
2025-12-maca	submitted	4.3	Pol	t	0	1
2025-12-maca	submitted	4.4	Pol	f	3	1
2025-12-maca	submitted	4.5	Pol	f	4	1
2025-12-maca	submitted	5.1	Pol	f	4	1
2025-12-maca	submitted	5.3	Pol	f	4	1
2025-12-maca	submitted	6.2	Pol	f	4	1
2025-12-maca	submitted	7.1	Pol	f	4	2
2025-12-maca	submitted	1.2	Edu	f	4	1
2025-12-maca	submitted	1.3	Edu	f	4	1
2025-12-maca	submitted	1.4	Edu	t	0	1
2025-12-maca	submitted	2.2	Edu	f	3	1
2025-12-maca	submitted	3.1	Edu	f	3	1
2025-12-maca	submitted	4.1	Edu	f	3	1
2025-12-maca	submitted	4.2	Edu	f	3	1
2025-12-maca	submitted	4.4	Edu	f	3	1
2025-12-maca	submitted	4.5	Edu	f	4	1
2025-12-maca	submitted	5.1	Edu	f	3	1
2025-12-maca	submitted	5.2	Edu	t	0	1
2025-12-maca	submitted	5.3	Edu	f	3	1
2025-12-maca	submitted	7.1	Edu	f	4	1
2025-12-maca	submitted	1.1	CSC	f	3	2
2025-12-maca	submitted	1.3	CSC	f	3	2
2025-12-maca	submitted	1.4	CSC	f	3	2
2025-12-maca	submitted	2.3	CSC	f	3	1
2025-12-maca	submitted	2.6	CSC	f	2	1
2025-12-maca	submitted	3.1	CSC	f	3	1
2025-12-maca	submitted	4.5	CSC	f	3	1
2025-12-maca	submitted	5.1	CSC	f	4	2
2025-12-maca	submitted	5.2	CSC	f	3	2
2025-12-maca	submitted	6.2	CSC	f	3	1
2025-12-maca	submitted	6.3	CSC	t	0	2
2025-12-maca	submitted	7.1	CSC	f	3	1
2025-12-maca	submitted	7.2	CSC	f	3	1
2025-12-maca	submitted	1.1	Pol	f	3	1
2025-12-maca	submitted	1.3	Pol	f	3	2
2025-12-maca	submitted	2.2	Pol	f	3	2
2025-12-maca	submitted	2.5	Pol	f	2	2
2025-12-maca	submitted	2.6	Pol	f	3	1
2025-12-maca	submitted	3.3	Pol	f	2	2
2025-12-maca	submitted	4.1	Pol	f	3	1
2025-12-maca	submitted	4.3	Pol	f	3	1
2025-12-maca	submitted	5.2	Pol	f	3	3
2025-12-maca	submitted	1.3	Prob	f	4	1
2025-12-maca	submitted	2.1	Prob	f	2	2
2025-12-maca	submitted	2.2	Prob	f	2	2
2025-12-maca	submitted	2.3	Prob	t	0	1
2025-12-maca	submitted	3.1	Prob	f	2	2
2025-12-maca	submitted	3.2	Prob	f	2	2
2025-12-maca	submitted	4.1	Prob	f	2	2
2025-12-maca	submitted	4.2	Prob	f	2	1
2025-12-maca	submitted	4.3	Prob	f	2	1
2025-12-maca	submitted	4.4	Prob	f	2	2
2025-12-maca	submitted	4.5	Prob	f	2	2
2025-12-maca	submitted	5.1	Prob	f	3	1
2025-12-maca	submitted	5.2	Prob	f	2	2
2025-12-maca	submitted	5.3	Prob	f	2	1
2025-12-maca	submitted	7.1	Prob	f	2	2
2025-12-maca	submitted	7.2	Prob	f	3	1
2025-12-maca	submitted	1.1	CSC	f	2	1
2025-12-maca	submitted	1.3	CSC	f	2	2
2025-12-maca	submitted	1.4	CSC	f	2	1
2025-12-maca	submitted	2.1	CSC	f	2	4
2025-12-maca	submitted	2.2	CSC	f	3	2
2025-12-maca	submitted	2.3	CSC	f	2	2
2025-12-maca	submitted	2.4	CSC	f	2	2
2025-12-maca	submitted	2.5	CSC	f	3	2
2025-12-maca	submitted	2.6	CSC	f	1	2
2025-12-maca	submitted	3.1	CSC	f	2	1
2025-12-maca	submitted	3.3	CSC	f	3	4
2025-12-maca	submitted	4.1	CSC	f	3	2
2025-12-maca	submitted	4.2	CSC	f	2	3
2025-12-maca	submitted	4.4	CSC	f	3	3
2025-12-maca	submitted	4.5	CSC	f	2	2
2025-12-maca	submitted	5.1	CSC	f	1	1
2025-12-maca	submitted	5.2	CSC	f	2	2
2025-12-maca	submitted	5.3	CSC	f	2	3
2025-12-maca	submitted	6.2	CSC	f	2	2
2025-12-maca	submitted	6.3	CSC	f	2	1
2025-12-maca	submitted	6.4	CSC	f	2	3
2025-12-maca	submitted	7.1	CSC	f	2	2
2025-12-maca	submitted	7.2	CSC	t	0	2
2025-12-maca	submitted	1.1	Pol	f	2	2
2025-12-maca	submitted	1.2	Pol	f	2	3
2025-12-maca	submitted	1.3	Pol	f	2	2
2025-12-maca	submitted	2.1	Pol	f	2	3
2025-12-maca	submitted	2.2	Pol	f	2	2
2025-12-maca	submitted	2.3	Pol	f	2	3
2025-12-maca	submitted	2.5	Pol	t	0	1
2025-12-maca	submitted	2.6	Pol	f	2	1
2025-12-maca	submitted	3.1	Pol	f	2	3
2025-12-maca	submitted	3.2	Pol	f	2	3
2025-12-maca	submitted	3.3	Pol	f	3	2
2025-12-maca	submitted	4.1	Pol	f	2	2
2025-12-maca	submitted	4.2	Pol	f	3	4
2025-12-maca	submitted	4.3	Pol	f	2	2
2025-12-maca	submitted	4.4	Pol	f	2	3
2025-12-maca	submitted	4.5	Pol	f	2	3
2025-12-maca	submitted	5.1	Pol	f	2	3
2025-12-maca	submitted	5.2	Pol	f	2	1
2025-12-maca	submitted	5.3	Pol	f	3	2
2025-12-maca	submitted	6.2	Pol	f	2	3
2025-12-maca	submitted	7.1	Pol	f	3	2
2025-12-maca	draft	1.1	Hlth	f	2	0
2025-12-maca	draft	1.2	Hlth	f	3	0
2025-12-maca	draft	1.3	Hlth	f	2	0
2025-12-maca	draft	1.4	Hlth	f	3	0
2025-12-maca	draft	2.1	Hlth	f	3	0
2025-12-maca	draft	2.2	Hlth	f	2	0
2025-12-maca	draft	2.4	Hlth	f	2	0
2025-12-maca	draft	2.6	Hlth	f	2	0
2025-12-maca	draft	3.1	Hlth	f	2	0
2025-12-maca	draft	3.2	Hlth	f	2	0
2025-12-maca	submitted	1.1	Hlth	f	2	2
2025-12-maca	submitted	1.2	Hlth	f	3	1
2025-12-maca	submitted	1.3	Hlth	f	2	2
2025-12-maca	submitted	1.4	Hlth	f	3	1
2025-12-maca	submitted	2.1	Hlth	f	3	1
2025-12-maca	submitted	2.2	Hlth	f	2	1
2025-12-maca	submitted	2.4	Hlth	f	2	2
2025-12-maca	submitted	2.6	Hlth	f	2	1
2025-12-maca	submitted	3.1	Hlth	f	2	2
2025-12-maca	submitted	3.2	Hlth	f	2	1
2025-12-maca	submitted	4.1	Hlth	f	3	2
2025-12-maca	submitted	4.2	Hlth	f	3	1
2025-12-maca	submitted	4.4	Hlth	f	2	1
2025-12-maca	submitted	4.5	Hlth	f	2	2
2025-12-maca	submitted	5.1	Hlth	f	2	1
2025-12-maca	submitted	5.2	Hlth	f	2	2
2025-12-maca	submitted	5.3	Hlth	f	2	1
2025-12-maca	submitted	6.1	Hlth	f	2	1
2025-12-maca	submitted	6.3	Hlth	f	2	1
2025-12-maca	submitted	6.4	Hlth	f	2	2
2025-12-maca	submitted	7.1	Hlth	f	2	2
2025-12-maca	draft	1.1	Edu	f	2	0
2025-12-maca	draft	1.2	Edu	f	2	0
2025-12-maca	draft	1.3	Edu	f	2	0
2025-12-maca	draft	1.4	Edu	f	2	0
2025-12-maca	draft	2.1	Edu	f	2	0
2025-12-maca	draft	2.2	Edu	f	2	0
2025-12-maca	draft	3.1	Edu	f	2	0
2025-12-maca	draft	4.1	Edu	f	2	0
2025-12-maca	submitted	1.1	Edu	f	2	2
2025-12-maca	submitted	1.2	Edu	f	2	1
2025-12-maca	submitted	1.3	Edu	f	2	1
2025-12-maca	submitted	1.4	Edu	f	2	1
2025-12-maca	submitted	2.1	Edu	f	2	2
2025-12-maca	submitted	2.2	Edu	f	2	1
2025-12-maca	submitted	3.1	Edu	f	2	1
2025-12-maca	submitted	4.1	Edu	f	2	1
2025-12-maca	submitted	4.2	Edu	f	2	1
2025-12-maca	submitted	4.4	Edu	f	1	1
2025-12-maca	submitted	4.5	Edu	f	3	1
2025-12-maca	submitted	5.1	Edu	f	2	1
2025-12-maca	submitted	5.2	Edu	f	2	1
2025-12-maca	submitted	5.3	Edu	t	0	1
2025-12-maca	submitted	6.3	Edu	t	0	2
2025-12-maca	submitted	7.1	Edu	f	2	1
2026-03-maca	submitted	1.1	CSC	f	3	1
2026-03-maca	submitted	1.3	CSC	t	0	1
2026-03-maca	submitted	2.3	CSC	f	2	1
2026-03-maca	submitted	3.1	CSC	f	3	1
2026-03-maca	submitted	3.3	CSC	f	3	1
2026-03-maca	submitted	4.2	CSC	f	4	1
2026-03-maca	submitted	4.5	CSC	f	3	1
2026-03-maca	submitted	5.3	CSC	f	3	1
2026-03-maca	submitted	6.2	CSC	f	3	1
2026-03-maca	submitted	7.1	CSC	f	3	1
2026-03-maca	submitted	1.2	Pol	f	2	1
2026-03-maca	submitted	2.2	Pol	f	2	1
2026-03-maca	submitted	3.1	Pol	f	4	1
2026-03-maca	submitted	3.3	Pol	f	3	1
2026-03-maca	submitted	4.4	Pol	f	3	1
2026-03-maca	submitted	5.3	Pol	f	3	1
2026-03-maca	submitted	2.1	Hlth	f	2	1
2026-03-maca	submitted	3.2	Hlth	f	3	1
2026-03-maca	submitted	4.2	Hlth	f	3	1
2026-03-maca	submitted	4.4	Hlth	f	3	1
2026-03-maca	submitted	4.5	Hlth	f	2	1
2026-03-maca	submitted	5.2	Hlth	f	4	1
2026-03-maca	submitted	7.1	Hlth	f	3	1
2026-03-maca	draft	1.1	Edu	f	2	1
2026-03-maca	draft	1.3	Edu	f	3	1
2026-03-maca	draft	1.4	Edu	f	2	1
2026-03-maca	draft	2.1	Edu	f	3	1
2026-03-maca	draft	2.2	Edu	f	2	1
2026-03-maca	draft	4.1	Edu	f	2	1
2026-03-maca	draft	4.2	Edu	f	3	1
2026-03-maca	draft	4.4	Edu	f	1	1
2026-03-maca	draft	4.5	Edu	f	2	1
2026-03-maca	draft	5.1	Edu	f	3	1
2026-03-maca	draft	5.2	Edu	f	2	1
2026-03-maca	draft	5.3	Edu	f	2	1
2026-03-maca	submitted	1.3	VCS	f	3	1
2026-03-maca	submitted	3.1	VCS	f	3	1
2026-03-maca	submitted	4.1	VCS	f	3	1
2026-03-maca	submitted	4.5	VCS	f	3	1
2026-03-maca	submitted	5.2	VCS	f	3	1
2026-03-maca	submitted	5.3	VCS	f	3	1
2026-03-maca	submitted	6.1	VCS	t	0	1
2026-03-maca	submitted	6.4	VCS	f	3	1
2026-03-maca	submitted	1.1	CSC	f	4	1
2026-03-maca	submitted	1.3	CSC	f	3	1
2026-03-maca	submitted	1.4	CSC	f	3	2
2026-03-maca	submitted	2.1	CSC	f	4	2
2026-03-maca	submitted	2.2	CSC	f	4	2
2026-03-maca	submitted	2.3	CSC	f	3	1
2026-03-maca	submitted	2.4	CSC	f	3	2
2026-03-maca	submitted	2.5	CSC	f	4	2
2026-03-maca	submitted	3.1	CSC	f	4	1
2026-03-maca	submitted	3.3	CSC	f	4	1
2026-03-maca	submitted	4.1	CSC	f	4	2
2026-03-maca	submitted	4.2	CSC	f	3	1
2026-03-maca	submitted	4.4	CSC	f	3	2
2026-03-maca	submitted	4.5	CSC	f	4	1
2026-03-maca	submitted	5.1	CSC	f	4	1
2026-03-maca	submitted	5.2	CSC	f	3	2
2026-03-maca	submitted	5.3	CSC	f	4	1
2026-03-maca	submitted	6.2	CSC	f	4	1
2026-03-maca	submitted	6.3	CSC	t	0	2
2026-03-maca	submitted	6.4	CSC	f	3	2
2026-03-maca	submitted	7.1	CSC	f	4	1
2026-03-maca	submitted	7.2	CSC	f	4	1
2026-03-maca	submitted	1.1	Pol	f	3	2
2026-03-maca	submitted	1.2	Pol	f	4	1
2026-03-maca	submitted	1.3	Pol	f	3	1
2026-03-maca	submitted	2.1	Pol	f	3	2
2026-03-maca	submitted	2.6	Pol	f	3	1
2026-03-maca	submitted	3.1	Pol	t	0	1
2026-03-maca	submitted	3.2	Pol	f	4	1
2026-03-maca	submitted	3.3	Pol	f	4	1
2026-03-maca	submitted	4.1	Pol	f	4	1
2026-03-maca	submitted	4.2	Pol	f	4	1
2026-03-maca	submitted	4.3	Pol	t	0	2
2026-03-maca	submitted	4.4	Pol	f	4	1
2026-03-maca	submitted	4.5	Pol	f	4	1
2026-03-maca	submitted	5.1	Pol	f	4	1
2026-03-maca	submitted	5.2	Pol	f	3	2
2026-03-maca	submitted	5.3	Pol	t	0	1
2026-03-maca	submitted	6.2	Pol	f	4	1
2026-03-maca	submitted	7.1	Pol	f	4	1
2026-03-maca	submitted	1.2	Edu	f	4	1
2026-03-maca	submitted	1.4	Edu	t	0	1
2026-03-maca	submitted	2.1	Edu	f	4	1
2026-03-maca	submitted	2.2	Edu	f	3	1
2026-03-maca	submitted	3.1	Edu	f	4	1
2026-03-maca	submitted	4.1	Edu	f	4	1
2026-03-maca	submitted	4.2	Edu	f	4	1
2026-03-maca	submitted	4.4	Edu	f	4	1
2026-03-maca	submitted	4.5	Edu	f	3	1
2026-03-maca	submitted	5.1	Edu	f	3	1
2026-03-maca	submitted	5.2	Edu	f	4	1
2026-03-maca	submitted	5.3	Edu	f	4	1
2026-03-maca	draft	1.1	CSC	f	2	1
2026-03-maca	draft	1.3	CSC	f	2	1
2026-03-maca	draft	1.4	CSC	t	0	1
2026-03-maca	draft	2.1	CSC	f	3	1
2026-03-maca	draft	2.2	CSC	f	3	1
2026-03-maca	draft	2.3	CSC	f	4	1
2026-03-maca	draft	2.4	CSC	f	2	1
2026-03-maca	draft	2.5	CSC	f	3	1
2026-03-maca	draft	2.6	CSC	t	0	1
2026-03-maca	draft	3.1	CSC	f	3	1
2026-03-maca	draft	3.3	CSC	f	2	1
2026-03-maca	draft	4.1	CSC	f	3	1
2026-03-maca	draft	4.2	CSC	f	2	1
2026-03-maca	draft	4.4	CSC	f	2	1
2026-03-maca	draft	4.5	CSC	f	3	1
2026-03-maca	draft	5.1	CSC	f	2	1
2026-03-maca	draft	5.2	CSC	f	3	1
2026-03-maca	draft	5.3	CSC	f	3	1
2026-03-maca	draft	6.2	CSC	f	3	1
2026-03-maca	draft	6.3	CSC	t	0	1
2026-03-maca	draft	6.4	CSC	f	2	1
2026-03-maca	draft	7.1	CSC	f	3	1
2026-03-maca	submitted	1.2	Pol	f	3	1
2026-03-maca	submitted	2.2	Pol	f	3	2
2026-03-maca	submitted	2.3	Pol	f	3	2
2026-03-maca	submitted	2.5	Pol	f	3	2
2026-03-maca	submitted	2.6	Pol	f	2	2
2026-03-maca	submitted	3.1	Pol	f	3	1
2026-03-maca	submitted	3.2	Pol	f	1	1
2026-03-maca	submitted	4.1	Pol	f	2	1
2026-03-maca	submitted	4.2	Pol	f	2	2
2026-03-maca	submitted	4.3	Pol	f	2	1
2026-03-maca	submitted	4.4	Pol	f	2	1
2026-03-maca	submitted	4.5	Pol	t	0	1
2026-03-maca	submitted	5.1	Pol	f	3	2
2026-03-maca	submitted	6.2	Pol	f	3	2
2026-03-maca	submitted	7.1	Pol	f	2	1
2026-03-maca	submitted	1.1	Hlth	f	3	2
2026-03-maca	submitted	1.2	Hlth	f	3	2
2026-03-maca	submitted	1.4	Hlth	f	3	2
2026-03-maca	submitted	2.1	Hlth	f	3	1
2026-03-maca	submitted	2.2	Hlth	f	3	2
2026-03-maca	submitted	2.4	Hlth	f	3	1
2026-03-maca	submitted	2.6	Hlth	f	2	2
2026-03-maca	submitted	3.1	Hlth	f	3	2
2026-03-maca	submitted	3.2	Hlth	f	2	1
2026-03-maca	submitted	4.1	Hlth	f	3	2
2026-03-maca	submitted	4.5	Hlth	f	3	1
2026-03-maca	submitted	5.1	Hlth	f	3	2
2026-03-maca	submitted	5.2	Hlth	f	3	1
2026-03-maca	submitted	5.3	Hlth	f	3	1
2026-03-maca	submitted	6.1	Hlth	f	3	2
2026-03-maca	submitted	7.1	Hlth	t	0	1
2026-03-maca	submitted	1.1	Edu	f	3	2
2026-03-maca	submitted	1.3	Edu	f	3	2
2026-03-maca	submitted	1.4	Edu	f	2	1
2026-03-maca	submitted	2.2	Edu	f	2	1
2026-03-maca	submitted	3.1	Edu	f	3	1
2026-03-maca	submitted	4.1	Edu	f	3	1
2026-03-maca	submitted	4.2	Edu	f	2	1
2026-03-maca	submitted	4.4	Edu	f	3	1
2026-03-maca	submitted	5.1	Edu	f	2	1
2026-03-maca	submitted	5.2	Edu	f	3	1
2026-03-maca	submitted	5.3	Edu	f	3	1
2026-03-maca	submitted	7.1	Edu	f	3	2
2026-03-maca	submitted	1.1	CSC	f	2	1
2026-03-maca	submitted	1.3	CSC	f	2	1
2026-03-maca	submitted	1.4	CSC	t	0	1
2026-03-maca	submitted	2.1	CSC	f	1	1
2026-03-maca	submitted	2.2	CSC	f	2	1
2026-03-maca	submitted	2.3	CSC	t	0	1
2026-03-maca	submitted	2.4	CSC	f	2	1
2026-03-maca	submitted	2.5	CSC	f	2	1
2026-03-maca	submitted	2.6	CSC	t	0	3
2026-03-maca	submitted	3.1	CSC	f	2	1
2026-03-maca	submitted	3.3	CSC	f	2	1
2026-03-maca	submitted	4.1	CSC	f	2	1
2026-03-maca	submitted	4.2	CSC	f	2	1
2026-03-maca	submitted	4.4	CSC	f	1	1
2026-03-maca	submitted	4.5	CSC	f	2	1
2026-03-maca	submitted	5.1	CSC	f	2	2
2026-03-maca	submitted	5.2	CSC	f	2	1
2026-03-maca	submitted	5.3	CSC	f	2	1
2026-03-maca	submitted	6.2	CSC	f	2	1
2026-03-maca	submitted	6.3	CSC	f	3	1
2026-03-maca	submitted	6.4	CSC	f	2	1
2026-03-maca	submitted	7.1	CSC	f	2	1
2026-03-maca	submitted	7.2	CSC	t	0	2
2026-03-maca	submitted	1.1	Pol	f	2	2
2026-03-maca	submitted	1.2	Pol	f	1	1
2026-03-maca	submitted	1.3	Pol	f	2	3
2026-03-maca	submitted	2.1	Pol	f	2	2
2026-03-maca	submitted	2.2	Pol	f	1	1
2026-03-maca	submitted	2.3	Pol	t	0	2
2026-03-maca	submitted	2.5	Pol	f	2	2
2026-03-maca	submitted	2.6	Pol	t	0	1
2026-03-maca	submitted	3.1	Pol	f	1	1
2026-03-maca	submitted	3.2	Pol	f	2	2
2026-03-maca	submitted	3.3	Pol	f	2	2
2026-03-maca	submitted	4.1	Pol	t	0	2
2026-03-maca	submitted	4.2	Pol	f	1	1
2026-03-maca	submitted	4.3	Pol	f	3	1
2026-03-maca	submitted	4.4	Pol	f	1	1
2026-03-maca	submitted	4.5	Pol	f	2	2
2026-03-maca	submitted	5.1	Pol	f	2	1
2026-03-maca	submitted	5.2	Pol	f	2	2
2026-03-maca	submitted	5.3	Pol	f	2	2
2026-03-maca	submitted	6.2	Pol	t	0	1
2026-03-maca	submitted	7.1	Pol	f	3	2
2026-03-maca	submitted	1.1	Hlth	f	2	1
2026-03-maca	submitted	1.2	Hlth	f	2	1
2026-03-maca	submitted	1.3	Hlth	f	2	3
2026-03-maca	submitted	1.4	Hlth	t	0	1
2026-03-maca	submitted	2.1	Hlth	f	1	1
2026-03-maca	submitted	2.2	Hlth	f	2	1
2026-03-maca	submitted	2.4	Hlth	f	2	2
2026-03-maca	submitted	2.6	Hlth	f	1	1
2026-03-maca	submitted	3.1	Hlth	f	2	1
2026-03-maca	submitted	3.2	Hlth	f	1	1
2026-03-maca	submitted	4.1	Hlth	f	2	1
2026-03-maca	submitted	4.2	Hlth	f	2	2
2026-03-maca	submitted	4.4	Hlth	f	2	2
2026-03-maca	submitted	4.5	Hlth	t	0	1
2026-03-maca	submitted	5.1	Hlth	f	2	1
2026-03-maca	submitted	5.2	Hlth	f	2	1
2026-03-maca	submitted	5.3	Hlth	f	2	2
2026-03-maca	submitted	6.1	Hlth	f	2	1
2026-03-maca	submitted	6.3	Hlth	t	0	3
2026-03-maca	submitted	6.4	Hlth	f	2	3
2026-03-maca	submitted	7.1	Hlth	f	2	1
2026-03-maca	draft	1.1	Edu	f	1	0
2026-03-maca	draft	1.2	Edu	f	2	1
2026-03-maca	draft	1.3	Edu	f	1	0
2026-03-maca	draft	1.4	Edu	f	1	0
2026-03-maca	draft	2.1	Edu	f	2	0
2026-03-maca	draft	2.2	Edu	f	1	0
2026-03-maca	draft	3.1	Edu	f	2	1
2026-03-maca	draft	4.1	Edu	f	1	0
2026-03-maca	submitted	1.1	Edu	f	1	1
2026-03-maca	submitted	1.2	Edu	f	2	2
2026-03-maca	submitted	1.3	Edu	f	1	1
2026-03-maca	submitted	1.4	Edu	f	1	1
2026-03-maca	submitted	2.1	Edu	f	2	2
2026-03-maca	submitted	2.2	Edu	f	1	1
2026-03-maca	submitted	3.1	Edu	f	2	1
2026-03-maca	submitted	4.1	Edu	f	1	1
2026-03-maca	submitted	4.2	Edu	f	1	1
2026-03-maca	submitted	4.4	Edu	f	1	1
2026-03-maca	submitted	4.5	Edu	f	2	2
2026-03-maca	submitted	5.1	Edu	f	1	1
2026-03-maca	submitted	5.2	Edu	f	1	1
2026-03-maca	submitted	5.3	Edu	f	1	1
2026-03-maca	submitted	6.3	Edu	t	0	3
2026-03-maca	submitted	7.1	Edu	f	2	1
2026-03-maca	submitted	1.3	Prob	f	2	1
2026-03-maca	submitted	2.1	Prob	f	3	1
2026-03-maca	submitted	3.1	Prob	f	1	1
2026-03-maca	submitted	4.1	Prob	f	3	1
2026-03-maca	submitted	4.3	Prob	t	0	1
2026-03-maca	submitted	2.2	Prob	f	2	2
2026-03-maca	submitted	2.3	Prob	f	2	2
2026-03-maca	submitted	3.2	Prob	f	2	2
2026-03-maca	submitted	4.2	Prob	f	2	2
2026-03-maca	submitted	4.4	Prob	f	2	2
2026-03-maca	submitted	4.5	Prob	f	2	2
2026-03-maca	submitted	5.1	Prob	f	2	2
2026-03-maca	submitted	5.2	Prob	f	2	2
2026-03-maca	submitted	7.2	Prob	t	0	1
2026-03-maca	submitted	1.3	VCS	f	2	1
2026-03-maca	submitted	2.2	VCS	f	2	2
2026-03-maca	submitted	3.1	VCS	f	2	1
2026-03-maca	submitted	4.1	VCS	f	2	1
2026-03-maca	submitted	4.2	VCS	f	2	2
2026-03-maca	submitted	4.4	VCS	f	2	2
2026-03-maca	submitted	4.5	VCS	f	2	1
2026-03-maca	submitted	5.1	VCS	f	2	2
2026-03-maca	submitted	5.2	VCS	f	2	1
2026-03-maca	submitted	5.3	VCS	f	2	1
2026-03-maca	submitted	6.1	VCS	f	2	1
2026-03-maca	submitted	6.4	VCS	f	2	1
2026-03-maca	submitted	7.1	VCS	f	3	2
2026-03-maca	draft	2.1	Prob	f	3	0
2026-03-maca	draft	1.3	Prob	t	0	0
2026-03-maca	draft	2.1	Prob	f	2	0
2026-03-maca	submitted	1.3	Prob	t	0	1
2026-03-maca	submitted	2.1	Prob	f	2	1
2026-03-maca	submitted	3.1	Prob	f	2	1
2026-03-maca	submitted	4.1	Prob	f	2	1
2026-03-maca	submitted	4.3	Prob	f	2	1
2026-03-maca	submitted	5.3	Prob	f	2	2
2026-03-maca	submitted	7.1	Prob	f	2	2
2026-03-maca	submitted	7.2	Prob	f	2	1
\.


--
-- Data for Name: moderation_drafts; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.moderation_drafts (draft_id, round_id, case_id, based_on, state, saved_by, saved_at) FROM stdin;
1	2026-03-maca	M2603-002	\N	{"agreed": {"1.1": 1}}	AUDIT-LEAD	2026-11-27 19:00:39.000743
\.


--
-- Data for Name: moderation_grades; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.moderation_grades (moderation_id, criterion_id, grade, not_applicable, rationale) FROM stdin;
1	1.1	2	f	Synthetic rationale: agreed at the meeting after discussion.
1	1.2	2	f	Synthetic rationale: agreed at the meeting after discussion.
1	1.3	2	f	Synthetic rationale: agreed at the meeting after discussion.
1	1.4	\N	t	
1	2.1	2	f	Synthetic rationale: agreed at the meeting after discussion.
1	2.2	2	f	Synthetic rationale: agreed at the meeting after discussion.
1	2.3	2	f	
1	2.4	2	f	
1	2.5	2	f	
1	2.6	2	f	Synthetic rationale: agreed at the meeting after discussion.
1	3.1	2	f	Synthetic rationale: agreed at the meeting after discussion.
1	3.2	2	f	
1	3.3	2	f	Synthetic rationale: agreed at the meeting after discussion.
1	4.1	2	f	Synthetic rationale: agreed at the meeting after discussion.
1	4.2	2	f	Synthetic rationale: agreed at the meeting after discussion.
1	4.3	2	f	
1	4.4	2	f	Synthetic rationale: agreed at the meeting after discussion.
1	4.5	2	f	
1	5.1	2	f	Synthetic rationale: agreed at the meeting after discussion.
1	5.2	2	f	Synthetic rationale: agreed at the meeting after discussion.
1	5.3	2	f	Synthetic rationale: agreed at the meeting after discussion.
1	6.1	1	f	
1	6.2	2	f	
1	6.3	1	f	
1	6.4	1	f	Synthetic rationale: agreed at the meeting after discussion.
1	7.1	2	f	Synthetic rationale: agreed at the meeting after discussion.
1	7.2	2	f	
2	1.1	4	f	Synthetic rationale: agreed at the meeting after discussion.
2	1.2	3	f	Synthetic rationale: agreed at the meeting after discussion.
2	1.3	3	f	Synthetic rationale: agreed at the meeting after discussion.
2	1.4	3	f	
2	2.1	3	f	Synthetic rationale: agreed at the meeting after discussion.
2	2.2	4	f	Synthetic rationale: agreed at the meeting after discussion.
2	2.3	\N	t	
2	2.4	4	f	
2	2.5	4	f	
2	2.6	3	f	Synthetic rationale: agreed at the meeting after discussion.
2	3.1	3	f	Synthetic rationale: agreed at the meeting after discussion.
2	3.2	3	f	
2	3.3	3	f	
2	4.1	3	f	Synthetic rationale: agreed at the meeting after discussion.
2	4.2	3	f	Synthetic rationale: agreed at the meeting after discussion.
2	4.3	\N	t	
2	4.4	3	f	
2	4.5	3	f	Synthetic rationale: agreed at the meeting after discussion.
2	5.1	3	f	Synthetic rationale: agreed at the meeting after discussion.
2	5.2	3	f	
2	5.3	3	f	Synthetic rationale: agreed at the meeting after discussion.
2	6.2	3	f	Synthetic rationale: agreed at the meeting after discussion.
2	6.3	\N	t	
2	6.4	3	f	
2	7.1	3	f	Synthetic rationale: agreed at the meeting after discussion.
2	7.2	\N	t	
3	1.1	3	f	
3	1.2	2	f	
3	1.3	2	f	Synthetic rationale: agreed at the meeting after discussion.
3	1.4	2	f	Synthetic rationale: agreed at the meeting after discussion.
3	2.1	2	f	
3	2.2	3	f	Synthetic rationale: agreed at the meeting after discussion.
3	2.3	2	f	Synthetic rationale: agreed at the meeting after discussion.
3	2.4	2	f	
3	2.5	2	f	Synthetic rationale: agreed at the meeting after discussion.
3	2.6	2	f	Synthetic rationale: agreed at the meeting after discussion.
3	3.1	2	f	Synthetic rationale: agreed at the meeting after discussion.
3	3.2	2	f	
3	3.3	3	f	Synthetic rationale: agreed at the meeting after discussion.
3	4.1	3	f	Synthetic rationale: agreed at the meeting after discussion.
3	4.2	2	f	Synthetic rationale: agreed at the meeting after discussion.
3	4.3	3	f	Synthetic rationale: agreed at the meeting after discussion.
3	4.4	2	f	Synthetic rationale: agreed at the meeting after discussion.
3	4.5	2	f	Synthetic rationale: agreed at the meeting after discussion.
3	5.1	2	f	Synthetic rationale: agreed at the meeting after discussion.
3	5.2	3	f	Synthetic rationale: agreed at the meeting after discussion.
3	5.3	3	f	Synthetic rationale: agreed at the meeting after discussion.
3	6.2	3	f	Synthetic rationale: agreed at the meeting after discussion.
3	6.3	\N	t	
3	6.4	3	f	Synthetic rationale: agreed at the meeting after discussion.
3	7.1	3	f	Synthetic rationale: agreed at the meeting after discussion.
3	7.2	2	f	Synthetic rationale: agreed at the meeting after discussion.
4	1.1	2	f	
4	1.2	2	f	Synthetic rationale: agreed at the meeting after discussion.
4	1.3	2	f	
4	1.4	2	f	Synthetic rationale: agreed at the meeting after discussion.
4	2.1	2	f	Synthetic rationale: agreed at the meeting after discussion.
4	2.2	2	f	Synthetic rationale: agreed at the meeting after discussion.
4	2.3	2	f	
4	2.4	2	f	
4	2.5	2	f	Synthetic rationale: agreed at the meeting after discussion.
4	2.6	2	f	Synthetic rationale: agreed at the meeting after discussion.
4	3.1	2	f	
4	3.2	2	f	
4	3.3	2	f	Synthetic rationale: agreed at the meeting after discussion.
4	4.1	2	f	Synthetic rationale: agreed at the meeting after discussion.
4	4.2	2	f	Synthetic rationale: agreed at the meeting after discussion.
4	4.3	2	f	
4	4.4	2	f	Synthetic rationale: agreed at the meeting after discussion.
4	4.5	2	f	Synthetic rationale: agreed at the meeting after discussion.
4	5.1	2	f	Synthetic rationale: agreed at the meeting after discussion.
4	5.2	2	f	
4	5.3	2	f	Synthetic rationale: agreed at the meeting after discussion.
4	6.1	2	f	
4	6.2	2	f	
4	6.3	2	f	
4	6.4	2	f	
4	7.1	2	f	Synthetic rationale: agreed at the meeting after discussion.
4	7.2	\N	t	
5	1.1	\N	t	Synthetic rationale: agreed at the meeting.
5	1.2	3	f	Synthetic rationale: agreed at the meeting.
5	1.3	3	f	Synthetic rationale: agreed at the meeting.
5	1.4	3	f	Synthetic rationale: agreed at the meeting.
5	2.1	3	f	Synthetic rationale: agreed at the meeting.
5	2.2	3	f	Synthetic rationale: agreed at the meeting.
5	2.3	3	f	Synthetic rationale: agreed at the meeting.
5	2.4	3	f	Synthetic rationale: agreed at the meeting.
5	2.5	3	f	Synthetic rationale: agreed at the meeting.
5	2.6	3	f	Synthetic rationale: agreed at the meeting.
5	3.1	3	f	Synthetic rationale: agreed at the meeting.
5	3.2	3	f	Synthetic rationale: agreed at the meeting.
5	3.3	3	f	Synthetic rationale: agreed at the meeting.
5	4.1	3	f	Synthetic rationale: agreed at the meeting.
5	4.2	3	f	Synthetic rationale: agreed at the meeting.
5	4.3	3	f	Synthetic rationale: agreed at the meeting.
5	4.4	3	f	Synthetic rationale: agreed at the meeting.
5	4.5	3	f	Synthetic rationale: agreed at the meeting.
5	5.1	3	f	Synthetic rationale: agreed at the meeting.
5	5.2	3	f	Synthetic rationale: agreed at the meeting.
5	5.3	3	f	Synthetic rationale: agreed at the meeting.
5	6.1	3	f	Synthetic rationale: agreed at the meeting.
5	6.2	3	f	Synthetic rationale: agreed at the meeting.
5	6.3	3	f	Synthetic rationale: agreed at the meeting.
5	6.4	3	f	Synthetic rationale: agreed at the meeting.
5	7.1	3	f	Synthetic rationale: agreed at the meeting.
5	7.2	3	f	Synthetic rationale: agreed at the meeting.
6	1.1	2	f	Synthetic rationale: agreed at the meeting.
6	1.2	2	f	Synthetic rationale: agreed at the meeting.
6	1.3	2	f	Synthetic rationale: agreed at the meeting.
6	1.4	2	f	Synthetic rationale: agreed at the meeting.
6	2.1	2	f	Synthetic rationale: agreed at the meeting.
6	2.2	2	f	Synthetic rationale: agreed at the meeting.
6	2.3	2	f	Synthetic rationale: agreed at the meeting.
6	2.4	2	f	Synthetic rationale: agreed at the meeting.
6	2.5	2	f	Synthetic rationale: agreed at the meeting.
6	2.6	2	f	Synthetic rationale: agreed at the meeting.
6	3.1	2	f	Synthetic rationale: agreed at the meeting.
6	3.2	2	f	Synthetic rationale: agreed at the meeting.
6	3.3	2	f	Synthetic rationale: agreed at the meeting.
6	4.1	2	f	Synthetic rationale: agreed at the meeting.
6	4.2	2	f	Synthetic rationale: agreed at the meeting.
6	4.3	2	f	Synthetic rationale: agreed at the meeting.
6	4.4	2	f	Synthetic rationale: agreed at the meeting.
6	4.5	2	f	Synthetic rationale: agreed at the meeting.
6	5.1	2	f	Synthetic rationale: agreed at the meeting.
6	5.2	2	f	Synthetic rationale: agreed at the meeting.
6	5.3	2	f	Synthetic rationale: agreed at the meeting.
6	6.1	2	f	Synthetic rationale: agreed at the meeting.
6	6.2	2	f	Synthetic rationale: agreed at the meeting.
6	6.3	2	f	Synthetic rationale: agreed at the meeting.
6	6.4	2	f	Synthetic rationale: agreed at the meeting.
6	7.1	2	f	Synthetic rationale: agreed at the meeting.
6	7.2	2	f	Synthetic rationale: agreed at the meeting.
\.


--
-- Data for Name: moderation_heads; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.moderation_heads (round_id, case_id, moderation_id, revision_no) FROM stdin;
2025-12-maca	M2512-001	1	1
2025-12-maca	M2512-002	2	1
2025-12-maca	M2512-003	3	1
2025-12-maca	M2512-004	4	1
2026-03-maca	M2603-001	6	2
\.


--
-- Data for Name: moderations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.moderations (moderation_id, round_id, case_id, overall_grade, strengths, development, themes, revision_no, based_on, framework_id, framework_version, saved_by, saved_at) FROM stdin;
1	2025-12-maca	M2512-001	2	Synthetic strengths.	Synthetic areas for development.	["safety-planning", "protective-capacity"]	1	\N	jtai-csa-family	1.0	AUDIT-LEAD	2026-01-28 10:00:00
2	2025-12-maca	M2512-002	4	Synthetic strengths.	Synthetic areas for development.	["information-sharing"]	1	\N	jtai-csa-family	1.0	AUDIT-LEAD	2026-01-28 10:10:00
3	2025-12-maca	M2512-003	2	Synthetic strengths.	Synthetic areas for development.	["curiosity", "identification"]	1	\N	jtai-csa-family	1.0	AUDIT-LEAD	2026-01-28 10:20:00
4	2025-12-maca	M2512-004	2	Synthetic strengths.	Synthetic areas for development.	["voice"]	1	\N	jtai-csa-family	1.0	AUDIT-LEAD	2026-01-28 10:30:00
5	2026-03-maca	M2603-001	3	Synthetic strengths.		["voice", "a local tag"]	1	\N	jtai-csa-family	1.0	AUDIT-LEAD	2026-11-27 19:00:38.987532
6	2026-03-maca	M2603-001	2			[]	2	1	jtai-csa-family	1.0	AUDIT-LEAD-2	2026-11-27 19:00:38.998434
\.


--
-- Data for Name: revisions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.revisions (revision_id, form_id, status, revision_no, based_on, framework_id, framework_version, saved_by, saved_at) FROM stdin;
1	1	draft	1	\N	jtai-csa-family	1.0	AUD-CSC-2	2026-01-09 07:54:00
2	1	submitted	2	1	jtai-csa-family	1.0	AUD-CSC-2	2026-01-10 03:54:00
3	2	submitted	1	\N	jtai-csa-family	1.0	AUD-POL-2	2026-01-18 06:51:00
4	3	submitted	1	\N	jtai-csa-family	1.0	AUD-HLTH-2	2026-01-19 18:17:00
5	4	draft	1	\N	jtai-csa-family	1.0	AUD-PROB-1	2026-01-19 00:42:00
6	4	submitted	2	1	jtai-csa-family	1.0	AUD-PROB-1	2026-01-19 20:42:00
7	5	submitted	1	\N	jtai-csa-family	1.0	AUD-CSC-2	2026-01-11 12:09:00
8	6	submitted	1	\N	jtai-csa-family	1.0	AUD-POL-1	2026-01-09 19:02:00
9	7	submitted	1	\N	jtai-csa-family	1.0	AUD-EDU-2	2026-01-12 07:59:00
10	8	submitted	1	\N	jtai-csa-family	1.0	AUD-CSC-1	2026-01-19 11:14:00
11	9	submitted	1	\N	jtai-csa-family	1.0	AUD-POL-2	2026-01-09 07:53:00
12	10	submitted	1	\N	jtai-csa-family	1.0	AUD-PROB-1	2026-01-11 19:54:00
13	11	submitted	1	\N	jtai-csa-family	1.0	AUD-CSC-2	2026-01-18 18:23:00
14	12	submitted	1	\N	jtai-csa-family	1.0	AUD-POL-2	2026-01-19 09:16:00
15	13	draft	1	\N	jtai-csa-family	1.0	AUD-HLTH-2	2026-01-16 22:23:00
16	13	submitted	2	1	jtai-csa-family	1.0	AUD-HLTH-2	2026-01-17 18:23:00
17	14	draft	1	\N	jtai-csa-family	1.0	AUD-EDU-1	2026-01-08 17:50:00
18	14	submitted	2	1	jtai-csa-family	1.0	AUD-EDU-1	2026-01-09 13:50:00
19	15	submitted	1	\N	jtai-csa-family	1.0	AUD-CSC-1	2026-04-17 20:43:00
20	16	submitted	1	\N	jtai-csa-family	1.0	AUD-POL-1	2026-04-20 22:34:00
21	17	submitted	1	\N	jtai-csa-family	1.0	AUD-HLTH-2	2026-04-15 16:11:00
22	18	draft	1	\N	jtai-csa-family	1.0	AUD-EDU-1	2026-04-18 03:17:00
23	18	draft	2	1	jtai-csa-family	1.0	AUD-EDU-1	2026-04-18 23:17:00
24	19	submitted	1	\N	jtai-csa-family	1.0	AUD-VCS-1	2026-04-17 19:17:00
25	20	submitted	1	\N	jtai-csa-family	1.0	AUD-CSC-2	2026-04-13 02:38:00
26	21	submitted	1	\N	jtai-csa-family	1.0	AUD-POL-2	2026-04-16 12:31:00
27	22	submitted	1	\N	jtai-csa-family	1.0	AUD-EDU-2	2026-04-13 07:46:00
28	23	draft	1	\N	jtai-csa-family	1.0	AUD-CSC-1	2026-04-11 01:22:00
29	24	submitted	1	\N	jtai-csa-family	1.0	AUD-POL-1	2026-04-17 07:21:00
30	25	submitted	1	\N	jtai-csa-family	1.0	AUD-HLTH-1	2026-04-12 01:34:00
31	26	submitted	1	\N	jtai-csa-family	1.0	AUD-EDU-2	2026-04-11 00:53:00
32	27	submitted	1	\N	jtai-csa-family	1.0	AUD-CSC-1	2026-04-16 22:08:00
33	28	submitted	1	\N	jtai-csa-family	1.0	AUD-POL-2	2026-04-15 09:18:00
34	29	submitted	1	\N	jtai-csa-family	1.0	AUD-HLTH-1	2026-04-14 18:19:00
35	30	draft	1	\N	jtai-csa-family	1.0	AUD-EDU-1	2026-04-07 12:36:00
36	30	submitted	2	1	jtai-csa-family	1.0	AUD-EDU-1	2026-04-08 08:36:00
37	31	submitted	1	\N	jtai-csa-family	1.0	AUD-PROB-2	2026-04-15 10:58:00
38	32	submitted	1	\N	jtai-csa-family	1.0	AUD-VCS-2	2026-04-20 22:39:00
39	33	draft	1	\N	jtai-csa-family	1.0	AUD-PROB-1	2026-04-20 09:30:00
40	33	draft	2	1	jtai-csa-family	1.0	AUD-LEAD-COVER	2026-04-20 11:30:00
41	33	submitted	3	2	jtai-csa-family	1.0	AUD-PROB-1	2026-04-21 09:30:00
\.


--
-- Data for Name: round_events; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.round_events (event_id, round_id, action, by, at, reason) FROM stdin;
1	2025-12-maca	close	AUDIT-LEAD	2026-11-27 19:00:39.00233	Moderation meeting finished.
2	2025-12-maca	reopen	AUDIT-LEAD	2026-11-27 19:00:39.003429	One case's overall grade was recorded wrongly.
3	2025-12-maca	close	AUDIT-LEAD	2026-11-27 19:00:39.004003	
\.


--
-- Data for Name: schema_info; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.schema_info (key, value) FROM stdin;
schema_version	5
created_at	2026-11-27T19:00:38
\.


--
-- Data for Name: scores; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.scores (revision_id, criterion_id, grade, not_applicable, note) FROM stdin;
1	1.1	3	f	
1	1.3	2	f	
1	1.4	\N	t	
1	2.1	2	f	
1	2.2	1	f	Synthetic note: practice here was exemplary and well recorded.
1	2.3	2	f	
1	2.4	\N	t	
1	2.5	2	f	
1	2.6	1	f	Synthetic note: practice here was exemplary and well recorded.
1	3.1	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
1	3.3	3	f	
2	1.1	3	f	
2	1.3	2	f	
2	1.4	\N	t	
2	2.1	2	f	
2	2.2	1	f	Synthetic note: practice here was exemplary and well recorded.
2	2.3	2	f	
2	2.4	\N	t	
2	2.5	2	f	
2	2.6	1	f	Synthetic note: practice here was exemplary and well recorded.
2	3.1	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
2	3.3	3	f	
2	4.1	2	f	
2	4.2	2	f	
2	4.4	2	f	
2	4.5	2	f	
2	5.1	2	f	
2	5.2	2	f	
2	5.3	2	f	
2	6.2	2	f	
2	6.3	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
2	6.4	2	f	
2	7.1	2	f	
2	7.2	2	f	
3	1.1	2	f	
3	1.2	2	f	
3	1.3	2	f	
3	2.1	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
3	2.2	2	f	
3	2.3	2	f	
3	2.5	2	f	
3	2.6	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
3	3.1	2	f	
3	3.2	2	f	
3	3.3	2	f	
3	4.1	2	f	
3	4.2	3	f	
3	4.3	2	f	
3	4.4	2	f	
3	4.5	2	f	
3	5.1	2	f	
3	5.2	3	f	
3	5.3	2	f	
3	6.2	2	f	
3	7.1	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
4	1.1	2	f	
4	1.2	1	f	Synthetic note: practice here was exemplary and well recorded.
4	1.3	2	f	
4	1.4	\N	t	
4	2.1	2	f	
4	2.2	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
4	2.4	2	f	
4	2.6	\N	t	
4	3.1	2	f	
4	3.2	\N	t	
4	4.1	3	f	
4	4.2	2	f	
4	4.4	3	f	
4	4.5	2	f	
4	5.1	1	f	Synthetic note: practice here was exemplary and well recorded.
4	5.2	2	f	
4	5.3	3	f	
4	6.1	1	f	Synthetic note: practice here was exemplary and well recorded.
4	6.3	\N	t	
4	6.4	2	f	
4	7.1	2	f	
5	1.3	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
5	2.1	2	f	
5	2.2	2	f	
5	2.3	2	f	
5	3.1	2	f	
5	3.2	2	f	
5	4.1	2	f	
5	4.2	1	f	Synthetic note: practice here was exemplary and well recorded.
6	1.3	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
6	2.1	2	f	
6	2.2	2	f	
6	2.3	2	f	
6	3.1	2	f	
6	3.2	2	f	
6	4.1	2	f	
6	4.2	1	f	Synthetic note: practice here was exemplary and well recorded.
6	4.3	\N	t	
6	4.4	2	f	
6	4.5	2	f	
6	5.1	2	f	
6	5.2	2	f	
6	5.3	3	f	
6	7.1	2	f	
6	7.2	2	f	
7	1.1	4	f	Synthetic note: significant gap, the record does not show this was considered.
7	1.3	3	f	
7	1.4	3	f	
7	2.1	2	f	
7	2.2	4	f	Synthetic note: significant gap, the record does not show this was considered.
7	2.3	\N	t	
7	2.4	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
7	2.5	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
7	2.6	3	f	
7	3.1	4	f	Synthetic note: significant gap, the record does not show this was considered.
7	3.3	3	f	
7	4.1	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
7	4.2	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
7	4.4	3	f	
7	4.5	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
7	5.1	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
7	5.2	3	f	
7	5.3	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
7	6.2	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
7	6.3	\N	t	
7	6.4	3	f	
7	7.1	4	f	Synthetic note: significant gap, the record does not show this was considered.
7	7.2	\N	t	
8	1.1	4	f	Synthetic note: significant gap, the record does not show this was considered.
8	1.2	4	f	Synthetic note: significant gap, the record does not show this was considered.
8	1.3	3	f	
8	2.1	2	f	
8	2.2	3	f	
8	2.3	\N	t	
8	2.5	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
16	5.3	2	f	
16	6.1	2	f	
8	2.6	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
8	3.1	3	f	
8	3.2	3	f	
8	3.3	3	f	
8	4.1	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
8	4.2	3	f	
8	4.3	\N	t	
8	4.4	3	f	
8	4.5	4	f	Synthetic note: significant gap, the record does not show this was considered.
8	5.1	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
8	5.2	3	f	
8	5.3	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
8	6.2	4	f	Synthetic note: significant gap, the record does not show this was considered.
8	7.1	4	f	Synthetic note: significant gap, the record does not show this was considered.
9	1.1	2	f	
9	1.2	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
9	1.3	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
9	1.4	\N	t	
9	2.1	2	f	
9	2.2	3	f	
9	3.1	3	f	
9	4.1	3	f	
9	4.2	3	f	
9	4.4	3	f	
9	4.5	4	f	Synthetic note: significant gap, the record does not show this was considered.
9	5.1	3	f	
9	5.2	\N	t	
9	5.3	3	f	
9	6.3	\N	t	
9	7.1	4	f	Synthetic note: significant gap, the record does not show this was considered.
10	1.1	3	f	
10	1.3	3	f	
10	1.4	3	f	
10	2.1	2	f	
10	2.2	3	f	
10	2.3	3	f	
10	2.4	2	f	
10	2.5	3	f	
10	2.6	2	f	
10	3.1	3	f	
10	3.3	3	f	
10	4.1	3	f	
10	4.2	2	f	
10	4.4	3	f	
10	4.5	3	f	
10	5.1	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
10	5.2	3	f	
10	5.3	2	f	
10	6.2	3	f	
10	6.3	\N	t	
10	6.4	2	f	
10	7.1	3	f	
10	7.2	3	f	
11	1.1	3	f	
11	1.2	2	f	
11	1.3	3	f	
11	2.1	2	f	
11	2.2	3	f	
11	2.3	2	f	
11	2.5	2	f	
11	2.6	3	f	
11	3.1	2	f	
11	3.2	2	f	
11	3.3	2	f	
11	4.1	3	f	
11	4.2	3	f	
11	4.3	3	f	
11	4.4	2	f	
11	4.5	2	f	
11	5.1	2	f	
11	5.2	3	f	
11	5.3	3	f	
11	6.2	2	f	
11	7.1	3	f	
12	1.3	4	f	Synthetic note: significant gap, the record does not show this was considered.
12	2.1	2	f	
12	2.2	2	f	
12	2.3	\N	t	
12	3.1	2	f	
12	3.2	2	f	
12	4.1	2	f	
12	4.2	2	f	
12	4.3	2	f	
12	4.4	2	f	
12	4.5	2	f	
12	5.1	3	f	
12	5.2	2	f	
12	5.3	2	f	
12	7.1	2	f	
12	7.2	3	f	
13	1.1	2	f	
13	1.3	2	f	
13	1.4	2	f	
13	2.1	2	f	
13	2.2	3	f	
13	2.3	2	f	
13	2.4	2	f	
13	2.5	3	f	
13	2.6	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
13	3.1	2	f	
13	3.3	3	f	
13	4.1	3	f	
13	4.2	2	f	
13	4.4	3	f	
13	4.5	2	f	
13	5.1	1	f	Synthetic note: practice here was exemplary and well recorded.
13	5.2	2	f	
13	5.3	2	f	
13	6.2	2	f	
13	6.3	2	f	
13	6.4	2	f	
13	7.1	2	f	
13	7.2	\N	t	
14	1.1	2	f	
14	1.2	2	f	
14	1.3	2	f	
14	2.1	2	f	
14	2.2	2	f	
14	2.3	2	f	
14	2.5	\N	t	
14	2.6	2	f	
14	3.1	2	f	
14	3.2	2	f	
14	3.3	3	f	
14	4.1	2	f	
14	4.2	3	f	
14	4.3	2	f	
14	4.4	2	f	
14	4.5	2	f	
14	5.1	2	f	
14	5.2	2	f	
14	5.3	3	f	
14	6.2	2	f	
14	7.1	3	f	
15	1.1	2	f	
15	1.2	3	f	
15	1.3	2	f	
15	1.4	3	f	
15	2.1	3	f	
15	2.2	2	f	
15	2.4	2	f	
15	2.6	2	f	
15	3.1	2	f	
15	3.2	2	f	
16	1.1	2	f	
16	1.2	3	f	
16	1.3	2	f	
16	1.4	3	f	
16	2.1	3	f	
16	2.2	2	f	
16	2.4	2	f	
16	2.6	2	f	
16	3.1	2	f	
16	3.2	2	f	
16	4.1	3	f	
16	4.2	3	f	
16	4.4	2	f	
16	4.5	2	f	
16	5.1	2	f	
16	5.2	2	f	
16	6.3	2	f	
16	6.4	2	f	
16	7.1	2	f	
17	1.1	2	f	
17	1.2	2	f	
17	1.3	2	f	
17	1.4	2	f	
17	2.1	2	f	
17	2.2	2	f	
17	3.1	2	f	
17	4.1	2	f	
18	1.1	2	f	
18	1.2	2	f	
18	1.3	2	f	
18	1.4	2	f	
18	2.1	2	f	
18	2.2	2	f	
18	3.1	2	f	
18	4.1	2	f	
18	4.2	2	f	
18	4.4	1	f	Synthetic note: practice here was exemplary and well recorded.
18	4.5	3	f	
18	5.1	2	f	
18	5.2	2	f	
18	5.3	\N	t	
18	6.3	\N	t	
18	7.1	2	f	
19	1.1	3	f	
19	1.3	\N	t	
19	1.4	3	f	
19	2.1	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
19	2.2	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
19	2.3	2	f	
19	2.4	3	f	
19	2.5	4	f	Synthetic note: significant gap, the record does not show this was considered.
19	2.6	\N	t	
19	3.1	3	f	
19	3.3	3	f	
19	4.1	4	f	Synthetic note: significant gap, the record does not show this was considered.
19	4.2	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
19	4.4	3	f	
19	4.5	3	f	
19	5.1	2	f	
19	5.2	3	f	
19	5.3	3	f	
19	6.2	3	f	
19	6.3	\N	t	
19	6.4	3	f	
19	7.1	3	f	
19	7.2	\N	t	
20	1.1	3	f	
20	1.2	2	f	
20	1.3	2	f	
20	2.1	3	f	
20	2.2	2	f	
20	2.3	\N	t	
20	2.5	2	f	
20	2.6	2	f	
20	3.1	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
20	3.2	2	f	
20	3.3	3	f	
20	4.1	\N	t	
20	4.2	2	f	
20	4.3	\N	t	
20	4.4	3	f	
20	4.5	2	f	
20	5.1	3	f	
20	5.2	3	f	
20	5.3	3	f	
20	6.2	3	f	
20	7.1	3	f	
21	1.1	3	f	
21	1.2	3	f	
21	1.3	2	f	
21	1.4	3	f	
21	2.1	2	f	
21	2.2	3	f	
21	2.4	2	f	
21	2.6	2	f	
21	3.1	3	f	
21	3.2	3	f	
21	4.1	3	f	
21	4.2	3	f	
21	4.4	3	f	
21	4.5	2	f	
21	5.1	3	f	
21	5.2	4	f	Synthetic note: significant gap, the record does not show this was considered.
21	5.3	2	f	
21	6.1	3	f	
21	6.3	\N	t	
21	6.4	2	f	
21	7.1	3	f	
22	1.1	2	f	
22	1.2	2	f	
22	1.3	3	f	
22	1.4	2	f	
22	2.1	3	f	
22	2.2	2	f	
22	3.1	2	f	
23	1.1	2	f	
23	1.2	2	f	
23	1.3	3	f	
23	1.4	2	f	
23	2.1	3	f	
23	2.2	2	f	
23	3.1	2	f	
23	4.1	2	f	
23	4.2	3	f	
23	4.4	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
23	4.5	2	f	
23	5.1	3	f	
23	5.2	2	f	
23	5.3	2	f	
24	1.3	3	f	
24	2.2	2	f	
24	3.1	3	f	
24	4.1	3	f	
24	4.2	2	f	
24	4.4	2	f	
24	4.5	3	f	
24	5.1	2	f	
24	5.2	3	f	
24	5.3	3	f	
24	6.1	\N	t	
24	6.4	3	f	
24	7.1	3	f	
25	1.1	4	f	Synthetic note: significant gap, the record does not show this was considered.
25	1.3	3	f	
25	1.4	3	f	
25	2.1	4	f	Synthetic note: significant gap, the record does not show this was considered.
25	2.2	4	f	Synthetic note: significant gap, the record does not show this was considered.
25	2.3	3	f	
25	2.4	3	f	
25	2.5	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
25	2.6	\N	t	
25	3.1	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
25	3.3	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
25	4.1	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
25	4.2	3	f	
25	4.4	3	f	
25	4.5	4	f	Synthetic note: significant gap, the record does not show this was considered.
25	5.1	4	f	Synthetic note: significant gap, the record does not show this was considered.
25	5.2	3	f	
25	5.3	4	f	Synthetic note: significant gap, the record does not show this was considered.
25	6.2	4	f	Synthetic note: significant gap, the record does not show this was considered.
25	6.3	\N	t	
25	6.4	3	f	
25	7.1	4	f	Synthetic note: significant gap, the record does not show this was considered.
25	7.2	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
26	1.1	3	f	
26	1.2	4	f	Synthetic note: significant gap, the record does not show this was considered.
26	1.3	3	f	
26	2.1	3	f	
26	2.2	3	f	
26	2.3	3	f	
26	2.5	3	f	
26	2.6	3	f	
26	3.1	\N	t	
26	3.2	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
26	3.3	4	f	Synthetic note: significant gap, the record does not show this was considered.
26	4.1	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
26	4.2	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
26	4.3	\N	t	
26	4.4	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
26	4.5	4	f	Synthetic note: significant gap, the record does not show this was considered.
26	5.1	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
26	5.2	3	f	
26	5.3	\N	t	
26	6.2	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
26	7.1	4	f	Synthetic note: significant gap, the record does not show this was considered.
27	1.1	3	f	
27	1.2	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
27	1.3	3	f	
27	1.4	\N	t	
27	2.1	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
27	2.2	3	f	
27	3.1	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
27	4.1	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
27	4.2	4	f	Synthetic note: significant gap, the record does not show this was considered.
27	4.4	4	f	Synthetic note: no evidence of this in the record; escalated for learning.
27	4.5	3	f	
27	5.1	3	f	
27	5.2	4	f	Synthetic note: significant gap, the record does not show this was considered.
27	5.3	4	f	Synthetic note: significant gap, the record does not show this was considered.
27	6.3	\N	t	
27	7.1	3	f	
28	1.1	2	f	
28	1.3	2	f	
28	1.4	\N	t	
28	2.1	3	f	
28	2.2	3	f	
28	2.3	4	f	Synthetic note: significant gap, the record does not show this was considered.
28	2.4	2	f	
28	2.5	3	f	
28	2.6	\N	t	
28	3.1	3	f	
28	3.3	2	f	
28	4.1	3	f	
28	4.2	2	f	
28	4.4	2	f	
28	4.5	3	f	
28	5.1	2	f	
28	5.2	3	f	
28	5.3	3	f	
28	6.2	3	f	
28	6.3	\N	t	
28	6.4	2	f	
28	7.1	3	f	
29	1.1	2	f	
29	1.2	3	f	
29	1.3	2	f	
29	2.1	2	f	
29	2.2	3	f	
29	2.3	3	f	
29	2.5	3	f	
29	2.6	2	f	
29	3.1	3	f	
29	3.2	1	f	Synthetic note: practice here was exemplary and well recorded.
29	3.3	2	f	
29	4.1	2	f	
29	4.2	2	f	
29	4.3	2	f	
29	4.4	2	f	
29	4.5	\N	t	
29	5.1	3	f	
29	5.2	2	f	
29	5.3	2	f	
29	6.2	3	f	
29	7.1	2	f	
30	1.1	3	f	
30	1.2	3	f	
30	1.3	2	f	
30	1.4	3	f	
30	2.1	3	f	
30	2.2	3	f	
30	2.4	3	f	
30	2.6	2	f	
30	3.1	3	f	
30	3.2	2	f	
30	4.1	3	f	
30	4.2	2	f	
30	4.4	2	f	
30	4.5	3	f	
30	5.1	3	f	
30	5.2	3	f	
30	5.3	3	f	
30	6.1	3	f	
30	6.3	\N	t	
30	6.4	2	f	
30	7.1	\N	t	
31	1.1	3	f	
31	1.2	2	f	
31	1.3	3	f	
31	1.4	2	f	
31	2.1	2	f	
31	2.2	2	f	
31	3.1	3	f	
31	4.1	3	f	
31	4.2	2	f	
31	4.4	3	f	
31	4.5	2	f	
31	5.1	2	f	
31	5.2	3	f	
31	5.3	3	f	
31	6.3	\N	t	
31	7.1	3	f	
32	1.1	2	f	
32	1.3	2	f	
32	1.4	\N	t	
32	2.1	1	f	Synthetic note: practice here was exemplary and well recorded.
32	2.2	2	f	
32	2.3	\N	t	
32	2.4	2	f	
32	2.5	2	f	
32	2.6	\N	t	
32	3.1	2	f	
32	3.3	2	f	
32	4.1	2	f	
32	4.2	2	f	
32	4.4	1	f	Synthetic note: practice here was exemplary and well recorded.
32	4.5	2	f	
32	5.1	2	f	
32	5.2	2	f	
32	5.3	2	f	
32	6.2	2	f	
32	6.3	3	f	
32	6.4	2	f	
32	7.1	2	f	
32	7.2	\N	t	
33	1.1	2	f	
33	1.2	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
33	1.3	2	f	
33	2.1	2	f	
33	2.2	1	f	Synthetic note: practice here was exemplary and well recorded.
33	2.3	\N	t	
33	2.5	2	f	
33	2.6	\N	t	
33	3.1	1	f	Synthetic note: practice here was exemplary and well recorded.
33	3.2	2	f	
33	3.3	2	f	
33	4.1	\N	t	
33	4.2	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
33	4.3	3	f	
33	4.4	1	f	Synthetic note: practice here was exemplary and well recorded.
33	4.5	2	f	
33	5.1	2	f	
33	5.2	2	f	
33	5.3	2	f	
33	6.2	\N	t	
33	7.1	3	f	
34	1.1	2	f	
34	1.2	2	f	
34	1.3	2	f	
34	1.4	\N	t	
34	2.1	1	f	Synthetic note: practice here was exemplary and well recorded.
34	2.2	2	f	
34	2.4	2	f	
34	2.6	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
34	3.1	2	f	
34	3.2	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
34	4.1	2	f	
34	4.2	2	f	
34	4.4	2	f	
34	4.5	\N	t	
34	5.1	2	f	
34	5.2	2	f	
34	5.3	2	f	
34	6.1	2	f	
34	6.3	\N	t	
34	6.4	2	f	
34	7.1	2	f	
35	1.1	1	f	Synthetic note: practice here was exemplary and well recorded.
35	1.2	2	f	
35	1.3	1	f	Synthetic note: practice here was exemplary and well recorded.
35	1.4	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
35	2.1	2	f	
35	2.2	1	f	Synthetic note: practice here was exemplary and well recorded.
35	3.1	2	f	
35	4.1	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
36	1.1	1	f	Synthetic note: practice here was exemplary and well recorded.
36	1.2	2	f	
36	1.3	1	f	Synthetic note: practice here was exemplary and well recorded.
36	1.4	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
36	2.1	2	f	
36	2.2	1	f	Synthetic note: practice here was exemplary and well recorded.
36	3.1	2	f	
36	4.1	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
36	4.2	1	f	Synthetic note: practice here was exemplary and well recorded.
36	4.4	1	f	Synthetic note: practice here was exemplary and well recorded.
36	4.5	2	f	
36	5.1	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
36	5.2	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
36	5.3	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
36	6.3	\N	t	
36	7.1	2	f	
37	1.3	2	f	
37	2.1	3	f	
37	2.2	2	f	
37	2.3	2	f	
37	3.1	1	f	Synthetic note: the record shows timely, reflective and joined-up work.
37	3.2	2	f	
37	4.1	3	f	
37	4.2	2	f	
37	4.3	\N	t	
37	4.4	2	f	
37	4.5	2	f	
37	5.1	2	f	
37	5.2	2	f	
37	5.3	2	f	
37	7.1	2	f	
37	7.2	\N	t	
38	1.3	2	f	
38	2.2	2	f	
38	3.1	2	f	
38	4.1	2	f	
38	4.2	2	f	
38	4.4	2	f	
38	4.5	2	f	
38	5.1	2	f	
38	5.2	2	f	
38	5.3	2	f	
38	6.1	2	f	
38	6.4	2	f	
38	7.1	3	f	
39	1.3	\N	t	
39	2.1	3	f	Synthetic note: seen in the chronology.
40	1.3	\N	t	
40	2.1	2	f	
41	1.3	\N	t	
41	2.1	2	f	
41	2.2	2	f	Synthetic note: agreed with the team manager.
41	2.3	2	f	
41	3.1	2	f	
41	3.2	2	f	
41	4.1	2	f	
41	4.2	2	f	
41	4.3	2	f	
41	4.4	2	f	
41	4.5	2	f	
41	5.1	2	f	
41	5.2	2	f	
41	5.3	2	f	
41	7.1	2	f	
41	7.2	2	f	
\.


--
-- Name: action_drafts_draft_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.action_drafts_draft_id_seq', 1, false);


--
-- Name: action_updates_update_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.action_updates_update_id_seq', 12, true);


--
-- Name: forms_form_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.forms_form_id_seq', 33, true);


--
-- Name: moderation_drafts_draft_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.moderation_drafts_draft_id_seq', 1, true);


--
-- Name: moderations_moderation_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.moderations_moderation_id_seq', 6, true);


--
-- Name: revisions_revision_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.revisions_revision_id_seq', 41, true);


--
-- Name: round_events_event_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.round_events_event_id_seq', 3, true);


--
-- Name: action_drafts action_drafts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_drafts
    ADD CONSTRAINT action_drafts_pkey PRIMARY KEY (draft_id);


--
-- Name: action_heads action_heads_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_heads
    ADD CONSTRAINT action_heads_pkey PRIMARY KEY (inspection_id, action_id);


--
-- Name: action_updates action_updates_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_updates
    ADD CONSTRAINT action_updates_pkey PRIMARY KEY (update_id);


--
-- Name: form_heads form_heads_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.form_heads
    ADD CONSTRAINT form_heads_pkey PRIMARY KEY (form_id);


--
-- Name: forms forms_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.forms
    ADD CONSTRAINT forms_pkey PRIMARY KEY (form_id);


--
-- Name: grade_tallies grade_tallies_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.grade_tallies
    ADD CONSTRAINT grade_tallies_pkey PRIMARY KEY (round_id, status, criterion_id, agency, not_applicable, grade);


--
-- Name: moderation_drafts moderation_drafts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.moderation_drafts
    ADD CONSTRAINT moderation_drafts_pkey PRIMARY KEY (draft_id);


--
-- Name: moderation_grades moderation_grades_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.moderation_grades
    ADD CONSTRAINT moderation_grades_pkey PRIMARY KEY (moderation_id, criterion_id);


--
-- Name: moderation_heads moderation_heads_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.moderation_heads
    ADD CONSTRAINT moderation_heads_pkey PRIMARY KEY (round_id, case_id);


--
-- Name: moderations moderations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.moderations
    ADD CONSTRAINT moderations_pkey PRIMARY KEY (moderation_id);


--
-- Name: revisions revisions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.revisions
    ADD CONSTRAINT revisions_pkey PRIMARY KEY (revision_id);


--
-- Name: round_events round_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.round_events
    ADD CONSTRAINT round_events_pkey PRIMARY KEY (event_id);


--
-- Name: schema_info schema_info_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_info
    ADD CONSTRAINT schema_info_pkey PRIMARY KEY (key);


--
-- Name: scores scores_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scores
    ADD CONSTRAINT scores_pkey PRIMARY KEY (revision_id, criterion_id);


--
-- Name: action_updates uq_action_update; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_updates
    ADD CONSTRAINT uq_action_update UNIQUE (inspection_id, action_id, revision_no);


--
-- Name: forms uq_form; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.forms
    ADD CONSTRAINT uq_form UNIQUE (round_id, case_id, agency, auditor);


--
-- Name: moderations uq_moderation; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.moderations
    ADD CONSTRAINT uq_moderation UNIQUE (round_id, case_id, revision_no);


--
-- Name: revisions uq_revision; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.revisions
    ADD CONSTRAINT uq_revision UNIQUE (form_id, revision_no);


--
-- Name: ix_action_drafts_action; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_action_drafts_action ON public.action_drafts USING btree (inspection_id, action_id);


--
-- Name: ix_action_updates_time; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_action_updates_time ON public.action_updates USING btree (inspection_id, saved_at);


--
-- Name: ix_heads_round; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_heads_round ON public.form_heads USING btree (round_id, status);


--
-- Name: ix_moderation_drafts_case; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_moderation_drafts_case ON public.moderation_drafts USING btree (round_id, case_id);


--
-- Name: ix_revisions_form_time; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_revisions_form_time ON public.revisions USING btree (form_id, saved_at);


--
-- Name: action_heads action_heads_update_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_heads
    ADD CONSTRAINT action_heads_update_id_fkey FOREIGN KEY (update_id) REFERENCES public.action_updates(update_id);


--
-- Name: form_heads form_heads_form_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.form_heads
    ADD CONSTRAINT form_heads_form_id_fkey FOREIGN KEY (form_id) REFERENCES public.forms(form_id);


--
-- Name: form_heads form_heads_revision_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.form_heads
    ADD CONSTRAINT form_heads_revision_id_fkey FOREIGN KEY (revision_id) REFERENCES public.revisions(revision_id);


--
-- Name: moderation_grades moderation_grades_moderation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.moderation_grades
    ADD CONSTRAINT moderation_grades_moderation_id_fkey FOREIGN KEY (moderation_id) REFERENCES public.moderations(moderation_id);


--
-- Name: moderation_heads moderation_heads_moderation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.moderation_heads
    ADD CONSTRAINT moderation_heads_moderation_id_fkey FOREIGN KEY (moderation_id) REFERENCES public.moderations(moderation_id);


--
-- Name: revisions revisions_form_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.revisions
    ADD CONSTRAINT revisions_form_id_fkey FOREIGN KEY (form_id) REFERENCES public.forms(form_id);


--
-- Name: scores scores_revision_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scores
    ADD CONSTRAINT scores_revision_id_fkey FOREIGN KEY (revision_id) REFERENCES public.revisions(revision_id);


--
-- PostgreSQL database dump complete
--


