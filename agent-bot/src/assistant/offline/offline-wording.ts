import type { IntentLanguage } from './intents.js';

interface Wording {
  automaticAnswer: string;
  source: string;
  askHuman: string;
  greeting: (assistant: string) => string;
  /** One part of a several-part question the knowledge base does not answer. */
  partNotFound: (part: string) => string;
  thanks: string;
  handoffOnRequest: string;
  handoffNoAnswer: string;
  /** When no model can answer (outage, budget): said before a human takes over. */
  handoffUnavailable: string;
}

/**
 * Every offline reply says it is automatic: the customer must know no person wrote it, and
 * how to reach one.
 */
/**
 * The business's name for "the automatic assistant of …": assistants are often named after
 * their role ("Riverside Bikes assistant"), which would read "assistant of Riverside Bikes
 * assistant".
 */
export function businessName(assistantName: string): string {
  const name = assistantName
    .trim()
    .replace(
      /[\s,:-]+(?:virtual |ai |whatsapp )?(?:assistant|assistente|asistente|assistent|assistentin|bot|chatbot|helper)$/iu,
      '',
    )
    .trim();
  return name || assistantName.trim();
}

export const OFFLINE_WORDING: Record<IntentLanguage, Wording> = {
  en: {
    automaticAnswer: 'Automatic answer',
    source: 'Source',
    askHuman: 'Write "human" to talk to a person.',
    greeting: (a) =>
      `Hello! This is the automatic assistant of ${a}. Ask me your question and I will look it up in our information. Write "human" at any time to talk to a person.`,
    partNotFound: (p) =>
      `I could not find anything about "${p}" in our information. Write "human" and a colleague will help with that.`,
    thanks: 'You’re welcome! If there is anything else, just write.',
    handoffOnRequest:
      'Of course. I have asked a colleague to take over; they will reply here as soon as possible.',
    handoffNoAnswer:
      'I could not find that in our information, so I have passed your message to a colleague, who will reply here.',
    handoffUnavailable:
      'Sorry, I cannot answer automatically right now. A colleague will take over and reply here.',
  },
  es: {
    automaticAnswer: 'Respuesta automática',
    source: 'Fuente',
    askHuman: 'Escribe "humano" para hablar con una persona.',
    greeting: (a) =>
      `¡Hola! Soy el asistente automático de ${a}. Escríbeme tu pregunta y la busco en nuestra información. Escribe "humano" cuando quieras hablar con una persona.`,
    partNotFound: (p) =>
      `No encontré nada sobre "${p}" en nuestra información. Escribe "humano" y un compañero te ayudará con eso.`,
    thanks: '¡De nada! Si necesitas algo más, escríbenos.',
    handoffOnRequest: 'Claro. He pedido a un compañero que continúe; te responderá aquí lo antes posible.',
    handoffNoAnswer:
      'No encontré eso en nuestra información, así que he pasado tu mensaje a un compañero, que te responderá aquí.',
    handoffUnavailable:
      'Lo siento, ahora no puedo responder automáticamente. Un compañero continuará y te responderá aquí.',
  },
  pt: {
    automaticAnswer: 'Resposta automática',
    source: 'Fonte',
    askHuman: 'Escreva "humano" para falar com uma pessoa.',
    greeting: (a) =>
      `Olá! Sou o assistente automático de ${a}. Envie a sua pergunta e eu procuro nas nossas informações. Escreva "humano" a qualquer momento para falar com uma pessoa.`,
    partNotFound: (p) =>
      `Não encontrei nada sobre "${p}" nas nossas informações. Escreva "humano" e um colega ajuda com isso.`,
    thanks: 'De nada! Se precisar de mais alguma coisa, é só escrever.',
    handoffOnRequest: 'Claro. Pedi a um colega para continuar; ele responderá aqui o mais rápido possível.',
    handoffNoAnswer:
      'Não encontrei isso nas nossas informações, por isso passei a sua mensagem a um colega, que responderá aqui.',
    handoffUnavailable:
      'Desculpe, agora não consigo responder automaticamente. Um colega vai continuar e responderá aqui.',
  },
  de: {
    automaticAnswer: 'Automatische Antwort',
    source: 'Quelle',
    askHuman: 'Schreiben Sie "Mensch", um mit einer Person zu sprechen.',
    greeting: (a) =>
      `Hallo! Hier ist der automatische Assistent von ${a}. Stellen Sie Ihre Frage, ich suche in unseren Informationen. Schreiben Sie jederzeit "Mensch", um mit einer Person zu sprechen.`,
    partNotFound: (p) =>
      `Zu "${p}" habe ich in unseren Informationen nichts gefunden. Schreiben Sie "Mensch", dann hilft Ihnen das Team dabei.`,
    thanks: 'Gern geschehen! Wenn noch etwas ist, schreiben Sie einfach.',
    handoffOnRequest:
      'Gern. Ich habe eine Kollegin oder einen Kollegen gebeten zu übernehmen; Sie erhalten hier so bald wie möglich eine Antwort.',
    handoffNoAnswer:
      'Dazu habe ich in unseren Informationen nichts gefunden. Ich habe Ihre Nachricht an das Team weitergegeben; Sie erhalten hier eine Antwort.',
    handoffUnavailable:
      'Entschuldigung, ich kann gerade nicht automatisch antworten. Das Team übernimmt und antwortet Ihnen hier.',
  },
  fr: {
    automaticAnswer: 'Réponse automatique',
    source: 'Source',
    askHuman: 'Écrivez « humain » pour parler à une personne.',
    greeting: (a) =>
      `Bonjour ! Je suis l’assistant automatique de ${a}. Posez votre question et je la cherche dans nos informations. Écrivez « humain » à tout moment pour parler à une personne.`,
    partNotFound: (p) =>
      `Je n’ai rien trouvé sur « ${p} » dans nos informations. Écrivez « humain » et un collègue vous aidera.`,
    thanks: 'Avec plaisir ! Pour toute autre question, écrivez-nous.',
    handoffOnRequest:
      'Bien sûr. J’ai demandé à un collègue de prendre le relais ; il vous répondra ici dès que possible.',
    handoffNoAnswer:
      'Je n’ai pas trouvé cela dans nos informations ; j’ai transmis votre message à un collègue, qui vous répondra ici.',
    handoffUnavailable:
      'Désolé, je ne peux pas répondre automatiquement pour le moment. Un collègue prend le relais et vous répondra ici.',
  },
};
