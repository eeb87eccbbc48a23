/**
 * Fake private persons: names by language, social handles and e-mail addresses on reserved
 * example domains. Everything here is personal data in the warehouse's eyes (it stays in `raw`).
 */
import type { Rng } from './random.ts';
import type { Lang } from './types.ts';

const FIRST_NAMES: Record<Lang, readonly string[]> = {
  en: ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Ethan', 'Sophia', 'Mason', 'Isabella', 'Lucas', 'Mia', 'James', 'Harper', 'Benjamin', 'Amelia', 'Elijah', 'Evelyn', 'Logan', 'Abigail', 'Jacob', 'Emily', 'Michael', 'Ella', 'Daniel', 'Madison', 'Henry', 'Chloe', 'Jackson', 'Grace', 'Samuel', 'Zoe', 'Owen', 'Nora', 'Wyatt', 'Riley', 'Caleb', 'Lily', 'Nathan', 'Hannah', 'Ryan', 'Aaliyah', 'Jamal', 'Priya', 'Wei', 'Kenji', 'Fatima', 'Diego', 'Keisha'],
  es: ['Lucía', 'Mateo', 'Sofía', 'Santiago', 'Valentina', 'Sebastián', 'Camila', 'Diego', 'Martina', 'Alejandro', 'Paula', 'Javier'],
  fr: ['Camille', 'Louis', 'Léa', 'Hugo', 'Chloé', 'Jules', 'Manon', 'Gabriel', 'Inès', 'Arthur', 'Juliette', 'Théo'],
  de: ['Mia', 'Leon', 'Hannah', 'Finn', 'Lena', 'Jonas', 'Lea', 'Paul', 'Anna', 'Felix', 'Marie', 'Lukas'],
  pt: ['Ana', 'João', 'Beatriz', 'Pedro', 'Mariana', 'Gabriel', 'Larissa', 'Rafael', 'Júlia', 'Thiago'],
  it: ['Giulia', 'Lorenzo', 'Sofia', 'Francesco', 'Aurora', 'Alessandro', 'Chiara', 'Matteo', 'Giorgia', 'Andrea'],
  nl: ['Sanne', 'Daan', 'Lotte', 'Sem', 'Fleur', 'Bram', 'Eva', 'Thijs', 'Anouk', 'Ruben'],
  id: ['Putri', 'Budi', 'Sari', 'Agus', 'Dewi', 'Rizky', 'Ayu', 'Fajar', 'Intan', 'Dimas'],
};

const LAST_NAMES: Record<Lang, readonly string[]> = {
  en: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Martin', 'Jackson', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Hill', 'Campbell', 'Mitchell', 'Carter', 'Patel', 'Nguyen', 'Kim', 'Chen', 'Okafor', 'Ramirez', 'Sullivan', 'Murphy', 'Brooks', 'Foster', 'Hayes', 'Reed'],
  es: ['García', 'Rodríguez', 'Martínez', 'López', 'Sánchez', 'Pérez', 'Gómez', 'Fernández', 'Torres', 'Ruiz', 'Moreno', 'Herrera'],
  fr: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Lefèvre', 'Girard'],
  de: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Schäfer', 'Koch', 'Richter'],
  pt: ['Silva', 'Santos', 'Oliveira', 'Souza', 'Pereira', 'Costa', 'Rodrigues', 'Almeida', 'Lima', 'Carvalho'],
  it: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco'],
  nl: ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder'],
  id: ['Wijaya', 'Santoso', 'Pratama', 'Saputra', 'Hidayat', 'Kurniawan', 'Lestari', 'Nugroho', 'Wibowo', 'Setiawan'],
};

const HANDLE_WORDS = ['trail', 'hikes', 'outdoors', 'wild', 'peak', 'camp', 'runs', 'adventures', 'north', 'summit', 'fern', 'moss'];
const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org', 'mail.example', 'inbox.example'];

/** A fake person's name and the language they write in. */
export interface PersonName {
  firstName: string;
  lastName: string;
  lang: Lang;
}

/** Draws a person's name in a language. */
export function fakeName(rng: Rng, lang: Lang): PersonName {
  return { firstName: rng.choice(FIRST_NAMES[lang]), lastName: rng.choice(LAST_NAMES[lang]), lang };
}

/** Lower-cases and strips accents and spaces so a name can go into a handle or an address. */
export function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Builds a plausible social handle from a name (`emma.smith92`, `liam_trail`, `therealava`). */
export function fakeHandle(rng: Rng, name: PersonName): string {
  const first = asciiSlug(name.firstName);
  const last = asciiSlug(name.lastName);
  switch (rng.int(0, 5)) {
    case 0:
      return `${first}.${last}${rng.int(1, 99)}`;
    case 1:
      return `${first}_${rng.choice(HANDLE_WORDS)}`;
    case 2:
      return `the${first}${last.slice(0, 1)}`;
    case 3:
      return `${first}${last}${rng.int(1970, 2008)}`;
    case 4:
      return `${rng.choice(HANDLE_WORDS)}with${first}`;
    default:
      return `${first.slice(0, 1)}${last}_${rng.int(10, 999)}`;
  }
}

/** Builds an e-mail address on a reserved example domain; `unique` keeps addresses distinct. */
export function fakeEmail(rng: Rng, name: PersonName, unique: number): string {
  const first = asciiSlug(name.firstName);
  const last = asciiSlug(name.lastName);
  const local = rng.chance(0.5) ? `${first}.${last}` : `${first.slice(0, 1)}${last}`;
  return `${local}${unique}@${rng.choice(EMAIL_DOMAINS)}`;
}

/** Returns the country a customer writing in `lang` most likely lives in. */
export function countryFor(rng: Rng, lang: Lang): string {
  switch (lang) {
    case 'en':
      return rng.weighted(['US', 'CA', 'GB', 'AU'], [85, 8, 5, 2]);
    case 'es':
      return rng.weighted(['US', 'ES', 'MX'], [60, 25, 15]);
    case 'fr':
      return rng.weighted(['FR', 'CA', 'BE'], [65, 25, 10]);
    case 'de':
      return rng.weighted(['DE', 'AT'], [85, 15]);
    case 'pt':
      return rng.weighted(['BR', 'PT', 'US'], [50, 30, 20]);
    case 'it':
      return 'IT';
    case 'nl':
      return rng.weighted(['NL', 'BE'], [80, 20]);
    case 'id':
      return 'ID';
  }
}

/** Countries whose shoppers pay in euros. */
export const EURO_COUNTRIES: ReadonlySet<string> = new Set(['ES', 'FR', 'BE', 'DE', 'AT', 'PT', 'IT', 'NL']);
