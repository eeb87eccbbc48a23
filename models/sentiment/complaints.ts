/**
 * Decides whether a post is a complaint: negative, and about something a brand can act on —
 * product, delivery, billing, service, quality, size/fit, refund, or app/website.
 */
import { normalizeLanguageTag } from './languages.ts';
import { NEGATIVE_THRESHOLD } from './score.ts';
import { createTokenList, tokenize } from './tokenize.ts';

/** The topic families a complaint can be about. */
export type ComplaintTopic = 'product' | 'delivery' | 'billing' | 'service' | 'quality' | 'size_fit' | 'refund' | 'app_website';

type Families = Readonly<Record<ComplaintTopic, string>>;

// Keywords per language and family. "word*" matches any word starting with "word"; "a b"
// matches two adjacent words; anything else matches the whole lower-cased word. Prefixes are
// kept long enough not to catch unrelated words ("deliver*" yes, "app*" no: "appalling").
const KEYWORDS: Readonly<Record<string, Families>> = {
  en: {
    product: 'product* item items purchase* goods merch* device* gadget*',
    delivery: 'deliver* shipping shipped ship shipment* package* parcel* courier* tracking arriv* delay* dispatch* postage order orders driver',
    billing: 'bill billing billed charge* overcharg* invoice* payment* pay paid card subscription* price* pricing fee fees expensive overpriced',
    service: 'service support customer staff agent* rep reps representative* manager cashier* waiter* waitress* callback phone hold chat chatbot bot email* dm reply replies response* answer* rude helpline',
    quality: 'quality broke broken break* defect* damag* cheap flimsy ripped torn crack* faulty material* stitching fake stale soggy malfunction*',
    size_fit: 'size* sizing fit fits fitting tight loose small big waist length sleeve* sizechart',
    refund: 'refund* return* reimburs* exchange* chargeback* cancel* money back',
    app_website: 'app apps website* site web login logged password checkout update* crash* bug bugs buggy glitch* laggy page browser account* error* server* online',
  },
  es: {
    product: 'producto* artículo* articulo* compra*',
    delivery: 'envío* envio* entrega* pedido* paquete* repartidor* llegó llego llega* mensajer* retras*',
    billing: 'factura* cobr* pago* tarjeta* precio* suscripci* caro cara',
    service: 'atención atencion servicio* soporte agente* personal teléfono telefono respuesta* responde* cliente*',
    quality: 'calidad roto rota rotos rompi* defect* dañad* danad* material*',
    size_fit: 'talla* tamaño* ajust* pequeñ* pequen* grande*',
    refund: 'reembolso* devoluci* devolver* reintegro*',
    app_website: 'aplicación* aplicacion* app web página* pagina* cuenta* contraseña* actualizaci* error*',
  },
  pt: {
    product: 'produto* item* compra*',
    delivery: 'entrega* pedido* envio* frete* chegou chegar* encomenda* correio* atras*',
    billing: 'cobran* cobr* fatura* pagamento* cartão cartao preço* preco* assinatura* caro cara',
    service: 'atendimento* suporte serviço* servico* atendente* sac cliente* resposta*',
    quality: 'qualidade* quebr* defeito* estragad* material*',
    size_fit: 'tamanho* apertad* pequen* grande*',
    refund: 'reembolso* devolu* estorno*',
    app_website: 'aplicativo* app site* conta* senha* erro* trava*',
  },
  fr: {
    product: 'produit* article* achat*',
    delivery: 'livraison* livr* colis commande* transporteur* expédi* expedi* retard*',
    billing: 'factur* prélève* preleve* paiement* carte* prix abonnement* cher chère',
    service: 'service* client* conseiller* sav réponse* reponse* répond* repond* téléphone telephone',
    quality: 'qualité qualite cassé* casse* défaut* defaut* abîm* abim* matière*',
    size_fit: 'taille* petit* grand*',
    refund: 'rembours* retour*',
    app_website: 'application* appli app site* compte* bug* plante* connexion* erreur*',
  },
  de: {
    product: 'produkt* artikel* ware',
    delivery: 'liefer* versand* paket* bestellung* zusteller* verspät*',
    billing: 'rechnung* abbuch* zahlung* preis* abo* gebühr* teuer*',
    service: 'kundenservice* kundendienst* service* support hotline* mitarbeiter* antwort*',
    quality: 'qualität* kaputt* defekt* beschädig* verarbeitung* material*',
    size_fit: 'größe* grösse* passform* klein* eng*',
    refund: 'rückerstattung* erstattung* rücksendung* retour* geld',
    app_website: 'app webseite* website* seite konto* login absturz* stürzt* abstürz* fehler* update*',
  },
  it: {
    product: 'prodott* articol* acquist*',
    delivery: 'consegna* spedizion* pacco* ordine* corriere* ritard*',
    billing: 'fattur* addebit* pagament* prezzo* abbonament* caro cara',
    service: 'servizio* assistenza operator* clienti risposta*',
    quality: 'qualità qualita rott* difett* danneggiat* material*',
    size_fit: 'taglia* misura* piccol* grand*',
    refund: 'rimbors* reso resi',
    app_website: "app sito* account password errore* aggiornament*",
  },
  nl: {
    product: 'product* artikel*',
    delivery: 'levering* bezorg* pakket* bestelling* verzend* geleverd',
    billing: 'factuur* afschrijving* betaling* prijs* abonnement* duur',
    service: 'klantenservice* service medewerker* reactie* reageert',
    quality: 'kwaliteit* kapot* defect* beschadigd*',
    size_fit: 'maat maten pasvorm* klein* groot*',
    refund: 'terugbetal* retour* restitutie* geld',
    app_website: 'app website* site account* inlog* fout* update*',
  },
  ca: {
    product: 'producte*',
    delivery: 'enviament* entrega* comanda*',
    billing: 'factura* preu* pagament*',
    service: 'servei* atenció',
    quality: 'qualitat trencat*',
    size_fit: 'talla*',
    refund: 'reemborsament* devoluci*',
    app_website: 'aplicació* web',
  },
  gl: {
    product: 'produto*',
    delivery: 'envío* entrega* pedido*',
    billing: 'factura* prezo* pagamento*',
    service: 'servizo* atención',
    quality: 'calidade* roto rota',
    size_fit: 'talla*',
    refund: 'reembolso* devoluci*',
    app_website: 'aplicación* web',
  },
  eu: {
    product: 'produktu*',
    delivery: 'bidalketa* eskaera*',
    billing: 'faktura* prezio* ordainketa*',
    service: 'zerbitzu* arreta*',
    quality: 'kalitate* hautsi*',
    size_fit: 'neurri* tamaina*',
    refund: 'itzulketa* itzulpen*',
    app_website: 'aplikazio* web*',
  },
};

interface CompiledKeywords {
  exact: Map<string, ComplaintTopic[]>;
  prefixes: Map<string, ComplaintTopic[]>;
  minPrefix: number;
  maxPrefix: number;
}

function add(map: Map<string, ComplaintTopic[]>, key: string, topic: ComplaintTopic): void {
  const list = map.get(key) ?? [];
  if (!list.includes(topic)) list.push(topic);
  map.set(key, list);
}

const compiled = new Map<string, CompiledKeywords | null>();

function keywordsFor(lang: string): CompiledKeywords | null {
  const cached = compiled.get(lang);
  if (cached !== undefined) return cached;
  const families = KEYWORDS[lang];
  let result: CompiledKeywords | null = null;
  if (families !== undefined) {
    result = { exact: new Map(), prefixes: new Map(), minPrefix: Infinity, maxPrefix: 0 };
    for (const [topic, list] of Object.entries(families) as [ComplaintTopic, string][]) {
      const tokens = list.split(' ');
      for (let i = 0; i < tokens.length; i++) {
        const keyword = tokens[i] ?? '';
        // "money back": two adjacent words, written as two entries joined here
        if (keyword === 'money' && tokens[i + 1] === 'back') {
          add(result.exact, 'money back', topic);
          i++;
        } else if (keyword.endsWith('*')) {
          const prefix = keyword.slice(0, -1);
          add(result.prefixes, prefix, topic);
          result.minPrefix = Math.min(result.minPrefix, prefix.length);
          result.maxPrefix = Math.max(result.maxPrefix, prefix.length);
        } else {
          add(result.exact, keyword, topic);
        }
      }
    }
  }
  compiled.set(lang, result);
  return result;
}

const buffer = createTokenList(128);
const TOPIC_ORDER: readonly ComplaintTopic[] = ['product', 'delivery', 'billing', 'service', 'quality', 'size_fit', 'refund', 'app_website'];

/**
 * Returns the complaint topics `text` mentions, in a fixed order, whatever its sentiment.
 * Texts of languages without keyword families (Indonesian, …) return []; "und" uses English.
 *
 * @example complaintTopics("my parcel arrived damaged", "en") // ["delivery", "quality"]
 */
export function complaintTopics(text: string, lang: string): ComplaintTopic[] {
  const code = normalizeLanguageTag(lang);
  const keywords = keywordsFor(code === 'und' ? 'en' : code);
  if (keywords === null) return [];
  const found = new Set<ComplaintTopic>();
  const tokens = tokenize(text, buffer);
  for (let i = 0; i < tokens.count; i++) {
    const word = tokens.words[i] ?? '';
    for (const topic of keywords.exact.get(word) ?? []) found.add(topic);
    if (i + 1 < tokens.count) for (const topic of keywords.exact.get(`${word} ${tokens.words[i + 1] ?? ''}`) ?? []) found.add(topic);
    for (let len = Math.min(word.length, keywords.maxPrefix); len >= keywords.minPrefix; len--) {
      for (const topic of keywords.prefixes.get(word.slice(0, len)) ?? []) found.add(topic);
    }
  }
  return TOPIC_ORDER.filter((t) => found.has(t));
}

/**
 * Tells whether a post is a complaint: its sentiment `score` (from `scoreText`) is negative and
 * it mentions at least one complaint topic. A null score (unsupported language) is never a
 * complaint, because we cannot tell its sentiment.
 *
 * @example isComplaint("charged twice, not happy", -0.6, "en") // true
 */
export function isComplaint(text: string, score: number | null, lang: string): boolean {
  if (score === null || score > NEGATIVE_THRESHOLD) return false;
  return complaintTopics(text, lang).length > 0;
}
