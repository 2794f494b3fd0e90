/**
 * Realistic Pachca bodies for the benchmarks: a created message as the API returns it, a full list page, and the
 * request that creates it. Built once, served as prepared buffers.
 */

/** One message as the API returns it, with a thread, buttons and a file. */
export function message(id: number): Record<string, unknown> {
  return {
    id,
    entity_type: 'discussion',
    entity_id: 334,
    chat_id: 334,
    root_chat_id: 334,
    content: `Вчера мы продали ${id % 1000} футболок (что на 10% больше, чем в прошлое воскресенье)`,
    user_id: 185,
    created_at: '2021-08-28T15:57:23.000Z',
    url: `https://app.pachca.com/chats/334?message=${id}`,
    files: [
      {
        id: id + 7,
        key: `attaches/files/93746/e354fd79-9d8b-4e3f-a3d2-5e1c1c4a2b7f/report-${id}.pdf`,
        name: `report-${id}.pdf`,
        file_type: 'file',
        url: `https://pachca-prod.s3.amazonaws.com/attaches/files/93746/report-${id}.pdf`,
        width: null,
        height: null,
      },
    ],
    voice_content: null,
    buttons: [
      [
        { text: 'Подробнее', url: 'https://example.com/details' },
        { text: 'Отлично!', data: 'awesome' },
      ],
    ],
    thread: { id: 265142 + id, chat_id: 2637266 + id },
    forwarding: null,
    parent_message_id: null,
    display_avatar_url: null,
    display_name: null,
    changed_at: null,
    deleted_at: null,
  };
}

/** The body of a create request with buttons. */
export const createBody = {
  message: {
    entity_type: 'discussion' as const,
    entity_id: 198,
    content: 'Вчера мы продали 756 футболок (что на 10% больше, чем в прошлое воскресенье)',
    buttons: [
      [
        { text: 'Подробнее', url: 'https://example.com/details' },
        { text: 'Отлично!', data: 'awesome' },
      ],
    ],
  },
};

/** The create answer and a list page of 20 messages (`limit=20`), as JSON text. */
export const createdText = JSON.stringify({ data: message(194275) });
export const listText = JSON.stringify({
  data: Array.from({ length: 20 }, (_, i) => message(194275 - i)),
  meta: { paginate: { next_page: 'eyJpZCI6MTk0MjU1fQ', prev_page: 'eyJpZCI6MTk0Mjc2fQ', has_next: true, has_prev: false } },
});
