import type { IntentLanguage } from './intents.js';

interface Wording {
  automaticAnswer: string;
  source: string;
  askHuman: string;
  greeting: (assistant: string) => string;
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
export const OFFLINE_WORDING: Record<IntentLanguage, Wording> = {
  en: {
    automaticAnswer: 'Automatic answer',
    source: 'Source',
    askHuman: 'Write "human" to talk to a person.',
    greeting: (a) =>
      `Hello! This is the automatic assistant of ${a}. Ask me your question and I will look it up in our information. Write "human" at any time to talk to a person.`,
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
    thanks: 'Avec plaisir ! Pour toute autre question, écrivez-nous.',
    handoffOnRequest:
      'Bien sûr. J’ai demandé à un collègue de prendre le relais ; il vous répondra ici dès que possible.',
    handoffNoAnswer:
      'Je n’ai pas trouvé cela dans nos informations ; j’ai transmis votre message à un collègue, qui vous répondra ici.',
    handoffUnavailable:
      'Désolé, je ne peux pas répondre automatiquement pour le moment. Un collègue prend le relais et vous répondra ici.',
  },
};
