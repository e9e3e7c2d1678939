/** The retail and finance quickstarts (namespaces datagen.example and datagen): purchases, transactions, stores, cards, contributions. */
import { between, counting, matching, oneOf, record } from './build.ts'

export const purchases = record('datagen.example', 'purchase', [
  counting('id', 'long', 0),
  oneOf('item_type', 'string', [
    'boots', 'shirt', 'knife', 'saucepan', 'table', 'chair', 'clock', 'frame', 'guitar', 'thermometer', 'scarf', 'doormat', 'vase',
    'clippers', 'game', 'towels'
  ]),
  between('quantity', 'long', 1, 10),
  {
    name: 'price_per_unit',
    type: { type: 'bytes', logicalType: 'decimal', precision: 4, scale: 2, 'arg.properties': { range: { min: 10.0, max: 50.0 } } }
  }
])

export const transactions = record('datagen.example', 'transactions', [
  counting('transaction_id', 'long', 1),
  between('card_id', 'long', 1, 24),
  matching('user_id', 'User_[1-9]{0,1}'),
  counting('purchase_id', 'long', 0),
  between('store_id', 'int', 1, 7)
])

export const stores = record('datagen.example', 'stores', [
  { name: 'store_id', type: 'int' }, { name: 'city', type: 'string' }, { name: 'state', type: 'string' }
], {
  'arg.properties': {
    options: [['Raleigh', 'NC'], ['Chicago', 'IL'], ['Sacramento', 'CA'], ['Austin', 'TX'], ['Boston', 'MA'], ['Atlanta', 'GA'], ['Lexington', 'SC']]
      .map(([city, state], i) => ({ store_id: i + 1, city, state }))
  }
})

/** Well-known test card numbers; card_id is the position in the list. The record is named users, as in the original. */
export const creditCards = record('datagen.example', 'users', [
  { name: 'card_id', type: 'int' }, { name: 'card_number', type: 'long' }, { name: 'cvv', type: 'int' }, { name: 'expiration_date', type: 'string' }
], {
  'arg.properties': {
    options: ([
      [6011601160116611, 832, '12/27'], [6011111111111117, 833, '12/26'], [6011000990139424, 348, '12/27'], [3530111333300000, 288, '11/27'],
      [3566002020360505, 558, '11/27'], [5431111111111111, 383, '11/26'], [5555555555554444, 273, '10/27'], [5105105105105100, 663, '10/27'],
      [4111111111111111, 822, '10/26'], [4242424242424242, 190, '09/27'], [4000056655665556, 729, '09/26'], [5555555555554444, 289, '08/27'],
      [2223003122003222, 115, '08/26'], [5200828282828210, 927, '08/27'], [5105105105105100, 329, '07/27'], [6200000000000005, 727, '06/27'],
      [3056930009020004, 563, '05/27'], [4000000760000002, 922, '04/27'], [4000001240000000, 293, '03/27'], [4000004840008001, 779, '02/27'],
      [4000002500003155, 443, '02/26'], [4000002760003184, 487, '06/27'], [4000008260003178, 663, '01/26'], [4000008260003179, 723, '01/26']
    ] as const).map(([number, cvv, expires], i) => ({ card_id: i + 1, card_number: number, cvv, expiration_date: expires }))
  }
})

export const campaignFinance = record('datagen', 'campaign_finance', [
  between('time', 'long', 1587715775521, 1619273364600),
  matching('candidate_id', '[A-Z][1-9]{8,8}'),
  oneOf('party_affiliation', 'string', ['REP', 'DEM', 'IND']),
  between('contribution', 'int', 20, 3500)
])
