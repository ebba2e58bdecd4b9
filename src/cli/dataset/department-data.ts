/**
 * The base organisation every dataset starts from: a root, seven divisions and 25 units in the
 * `XX_YYY` style of NIM's HR500 (EN_DOC, EN_CO = Helpdesk, FI_ACC, HR_REC…), with realistic job
 * titles per unit. A few names and titles contain a semicolon or double quotes on purpose: the
 * export must quote them, and every reader of the files must cope.
 */

/** One department of the base organisation. */
export interface BaseDepartment {
  readonly code: string
  readonly name: string
  /** Code of the parent; empty for the root. */
  readonly parent: string
  readonly location: string
  /** Relative share of the employees (units only; divisions and the root hold just their heads). */
  readonly weight: number
  /** Job titles of the people in the unit. */
  readonly titles: readonly string[]
}

/** The board: people at the top who report to no one. The first one heads the root department. */
export const BOARD = ['Chief Executive Officer', 'Chief Financial Officer', 'Chief Operating Officer'] as const

/** Divisions whose director reports to a board member other than the CEO (index into {@link BOARD}). */
export const DIVISION_REPORTS_TO: Readonly<Record<string, number>> = { FI: 1, OP: 2 }

const titles = (text: string): readonly string[] => text.split(',').map((s) => s.trim())

const root = (code: string, name: string, location: string): BaseDepartment => ({
  code,
  name,
  parent: '',
  location,
  weight: 0,
  titles: [],
})
const division = (code: string, name: string, location: string): BaseDepartment => ({
  code,
  name,
  parent: 'HQ',
  location,
  weight: 0,
  titles: [],
})
const unit = (code: string, name: string, location: string, weight: number, titleList: string): BaseDepartment => ({
  code,
  name,
  parent: code.slice(0, 2),
  location,
  weight,
  titles: titles(titleList),
})

/** Root first, then divisions, then units: every parent comes before its children. */
export const BASE_DEPARTMENTS: readonly BaseDepartment[] = [
  root('HQ', 'Executive Board', 'Utrecht'),
  division('EN', 'Engineering', 'Utrecht'),
  division('FI', 'Finance', 'Utrecht'),
  division('HR', 'Human Resources', 'Utrecht'),
  division('SA', 'Sales', 'Amsterdam'),
  division('MA', 'Marketing', 'Amsterdam'),
  division('OP', 'Operations', 'Venlo'),
  division('LE', 'Legal & Compliance', 'Utrecht'),
  unit(
    'EN_DOC',
    'Documentation',
    'Utrecht',
    12,
    'Technical Writer, Senior Technical Writer, Documentation Specialist, Information Architect, Localization Coordinator',
  ),
  unit(
    'EN_CO',
    'Helpdesk',
    'Utrecht',
    22,
    'Service Desk Agent, Helpdesk Employee, Senior Service Desk Agent, IT Support Specialist, Second-Line Support Engineer',
  ),
  unit(
    'EN_DEV',
    'Software Development',
    'Utrecht',
    60,
    'Software Engineer, Senior Software Engineer, Front-end Developer, Back-end Developer, DevOps Engineer, Engineer; Platform & Tooling, Software Architect',
  ),
  unit(
    'EN_QA',
    'Quality Assurance',
    'Utrecht',
    18,
    'Test Engineer, QA Analyst, Test Automation Engineer, Senior Test Engineer',
  ),
  unit(
    'EN_SEC',
    'Security',
    'Utrecht',
    10,
    'Security Analyst, Security Officer, Penetration Tester, Identity & Access Engineer',
  ),
  unit(
    'EN_RI',
    'Research; Innovation',
    'Eindhoven',
    12,
    'Researcher, Data Scientist, Innovation Consultant, Consultant "Special Projects", Prototype Engineer',
  ),
  unit(
    'FI_ACC',
    'Accounting',
    'Utrecht',
    18,
    'Accountant, Accounts Payable Clerk, Accounts Receivable Clerk, Senior Accountant, Bookkeeper',
  ),
  unit('FI_CTL', 'Controlling', 'Utrecht', 12, 'Controller, Business Controller, Financial Analyst, Senior Controller'),
  unit('FI_TRS', 'Treasury', 'Amsterdam', 6, 'Treasury Analyst, Cash Manager, Treasury Officer'),
  unit(
    'HR_REC',
    'Recruitment',
    'Utrecht',
    12,
    'Recruiter, Talent Acquisition Specialist, Recruitment Assistant, Recruiter "Tech"',
  ),
  unit('HR_BP', 'HR Business Partners', 'Utrecht', 10, 'HR Business Partner, HR Advisor, HR Officer'),
  unit('HR_LD', 'Learning & Development', 'Utrecht', 8, 'Learning Consultant, Trainer, L&D Coordinator'),
  unit('HR_PAY', 'Payroll', 'Utrecht', 8, 'Payroll Administrator, Payroll Specialist, Salary Administrator'),
  unit(
    'SA_NL',
    'Sales Benelux',
    'Amsterdam',
    40,
    'Account Manager, Sales Representative, Inside Sales Representative, Key Account Manager, Account Manager; Public Sector',
  ),
  unit(
    'SA_DE',
    'Sales DACH',
    'Düsseldorf',
    30,
    'Account Manager DACH, Vertriebsmitarbeiter, Key Account Manager, Sales Representative',
  ),
  unit(
    'SA_INT',
    'International Sales',
    'Antwerpen',
    25,
    'Export Manager, International Account Manager, Sales Engineer',
  ),
  unit(
    'SA_SUP',
    'Customer Success',
    'Amsterdam',
    35,
    'Customer Success Manager, Customer Support Agent, Onboarding Specialist, Medewerker "Klantcontact"',
  ),
  unit('MA_COM', 'Communications', 'Amsterdam', 12, 'Communications Advisor, Copywriter, Press Officer'),
  unit(
    'MA_BRD',
    'Brand "Voice" & Content',
    'Amsterdam',
    10,
    'Content Creator, Brand Manager, Graphic Designer, Video Editor',
  ),
  unit(
    'MA_DIG',
    'Digital Marketing',
    'Amsterdam',
    15,
    'SEO Specialist, Online Marketer, Marketing Automation Specialist, Data Analyst',
  ),
  unit('OP_FAC', 'Facilities', 'Utrecht', 20, 'Facility Coordinator, Receptionist, Office Manager, Caretaker'),
  unit(
    'OP_LOG',
    'Logistics',
    'Venlo',
    45,
    'Warehouse Operator, Logistics Planner, Forklift Driver, Shift Supervisor, Order Picker',
  ),
  unit('OP_PUR', 'Purchasing', 'Venlo', 12, 'Buyer, Purchasing Assistant, Category Manager'),
  unit('LE_LGL', 'Legal Affairs', 'Utrecht', 8, 'Legal Counsel, Paralegal, Contract Manager'),
  unit('LE_CMP', 'Compliance & Privacy', 'Utrecht', 7, 'Compliance Officer, Privacy Officer, Data Protection Officer'),
]

/** Offices that the departments added for large datasets are spread over. */
export const OFFICES = [
  'Utrecht',
  'Amsterdam',
  'Venlo',
  'Eindhoven',
  'Düsseldorf',
  'Antwerpen',
  "'s-Hertogenbosch",
  'Groningen',
]

/** Words that name the teams added under a base unit for large datasets (Software Development North…). */
export const TEAM_WORDS = [
  'North',
  'South',
  'East',
  'West',
  'Central',
  'Alpha',
  'Beta',
  'Delta',
  'Orion',
  'Vega',
  'Atlas',
  'Nova',
  'Polaris',
  'Zenith',
  'Horizon',
  'Harbour',
  'Summit',
  'Meridian',
  'Lynx',
  'Falcon',
]
