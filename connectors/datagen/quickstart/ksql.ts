/** The quickstarts of ksqlDB's tutorials (namespace ksql): users, pageviews, orders, ratings, stock trades, inventory, products. */
import { between, counting, field, matching, oneOf, record, type SchemaJson } from './build.ts'

const USER_FIELDS: readonly SchemaJson[] = [
  between('registertime', 'long', 1487715775521, 1519273364600),
  matching('userid', 'User_[1-9]'),
  matching('regionid', 'Region_[1-9]'),
  oneOf('gender', 'string', ['MALE', 'FEMALE', 'OTHER'])
]

export const users = record('ksql', 'users', USER_FIELDS)

/** users_: the users with an array and a map. */
export const usersArrayMap = record('ksql', 'users', [
  ...USER_FIELDS,
  { name: 'interests', type: { type: 'array', items: 'string', 'arg.properties': { options: [['Game', 'News'], ['Game', 'Sport'], ['News', 'Movies'], ['News', 'Travel']] } } },
  {
    name: 'contactinfo',
    type: {
      type: 'map',
      values: 'string',
      'arg.properties': {
        options: [
          ['6503349999', 'San Mateo', '94403'], ['9492229999', 'Irvine', '92617'], ['6503889999', 'Palo Alto', '94301'],
          ['4083366881', 'San Jose', '95112'], ['6502215368', 'San Carlos', '94070']
        ].map(([phone, city, zipcode]) => ({ phone, city, state: 'CA', zipcode }))
      }
    }
  }
])

export const pageviews = record('ksql', 'pageviews', [
  counting('viewtime', 'long', 1, 10),
  matching('userid', 'User_[1-9]'),
  matching('pageid', 'Page_[1-9][0-9]')
])

export const orders = record('ksql', 'orders', [
  between('ordertime', 'long', 1487715775521, 1519273364600),
  counting('orderid', 'int', 0),
  matching('itemid', 'Item_[1-9][0-9]{0,2}'),
  between('orderunits', 'double', 0.1, 10.0),
  {
    name: 'address',
    type: {
      type: 'record',
      name: 'address',
      fields: [matching('city', 'City_[1-9]{0,2}'), matching('state', 'State_[1-9]{0,2}'), between('zipcode', 'long', 10000, 99999)]
    }
  }
])

export const ratings = record('ksql', 'ratings', [
  counting('rating_id', 'long', 1),
  between('user_id', 'int', -1, 20),
  between('stars', 'int', 1, 5),
  between('route_id', 'int', 1, 9999),
  counting('rating_time', 'long', 1, 12),
  oneOf('channel', 'string', ['web', 'iOS', 'ios', 'iOS-test', 'android']),
  oneOf('message', 'string', [
    'worst. flight. ever. #neveragain',
    'Surprisingly good, maybe you are getting your mojo back at long last!',
    'Exceeded all my expectations. Thank you !',
    'meh',
    '(expletive deleted)',
    'is this as good as it gets? really ?',
    'airport refurb looks great, will fly outta here more!',
    'why is it so difficult to keep the bathrooms clean ?',
    'thank you for the most friendly, helpful experience today at your new lounge',
    'more peanuts please',
    'your team here rocks!'
  ])
])

export const stockTrades = record('ksql', 'StockTrade', [
  oneOf('side', 'string', ['BUY', 'SELL'], { doc: 'A simulated trade side (buy or sell or short)' }),
  between('quantity', 'int', 1, 5000, { doc: 'A simulated random quantity of the trade' }),
  oneOf('symbol', 'string', ['ZBZX', 'ZJZZT', 'ZTEST', 'ZVV', 'ZVZZT', 'ZWZZT', 'ZXZZT'], { doc: 'Simulated stock symbols' }),
  between('price', 'int', 5, 1000, { doc: 'A simulated random trade price in pennies' }),
  oneOf('account', 'string', ['ABC123', 'LMN456', 'XYZ789'], { doc: 'Simulated accounts assigned to the trade' }),
  field('userid', 'string', { regex: 'User_[1-9]' }, { doc: 'The simulated user who executed the trade' })
], { doc: 'Defines a hypothetical stock trade using some known test stock symbols.' })

export const inventory = record('ksql', 'inventory', [
  counting('id', 'long', 0),
  counting('quantity', 'long', 0),
  counting('productid', 'long', 0)
])

export const product = record('ksql', 'product', [
  counting('id', 'long', 0),
  counting('name', 'string', 0),
  counting('description', 'string', 0),
  counting('price', 'double', 0)
])
