#!/usr/bin/python3
"""An ordinary slixmpp client for the interop tests (issue 12), driven over stdin/stdout.

Commands arrive as JSON lines on stdin ({"cmd": "connect", ...}); everything the client sees is
written as JSON lines on stdout ({"event": "message", ...}). It uses slixmpp's own roster
handling and plugins (disco, MUC, chat states, ping, direct invitations), as a user's client
would; it sends nothing a mainstream client would not (no presence to the gateway's domain).
Run by Debian's /usr/bin/python3, which has python3-slixmpp.
"""
import asyncio
import json
import sys

import slixmpp
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

MUC_USER = 'http://jabber.org/protocol/muc#user'


def emit(event, **fields):
    sys.stdout.write(json.dumps({'event': event, **fields}) + '\n')
    sys.stdout.flush()


class Client(slixmpp.ClientXMPP):
    def __init__(self, jid, password):
        super().__init__(jid, password)
        for plugin in ('xep_0030', 'xep_0045', 'xep_0085', 'xep_0199', 'xep_0249'):
            self.register_plugin(plugin)
        # Loopback without TLS: the servers offer PLAIN only on an unencrypted stream when told to.
        self['feature_mechanisms'].unencrypted_plain = True
        # The user decides on subscription requests (the "approve" command), as in most clients.
        self.roster.auto_authorize = None
        self.roster.auto_subscribe = False
        self.add_event_handler('session_start', self.on_start)
        self.add_event_handler('failed_auth', lambda _: emit('error', where='auth', text='authentication failed'))
        self.add_event_handler('disconnected', lambda _: emit('disconnected'))
        self.add_event_handler('roster_update', self.on_roster)
        self.add_event_handler('presence_subscribe', lambda p: emit('subscription', type='subscribe', **{'from': p['from'].bare}, status=p['status']))
        self.add_event_handler('presence_subscribed', lambda p: emit('subscription', type='subscribed', **{'from': p['from'].bare}))
        self.add_event_handler('presence_unsubscribe', lambda p: emit('subscription', type='unsubscribe', **{'from': p['from'].bare}))
        self.add_event_handler('presence_unsubscribed', lambda p: emit('subscription', type='unsubscribed', **{'from': p['from'].bare}))
        self.add_event_handler('presence_available', self.on_presence)
        self.add_event_handler('presence_unavailable', self.on_presence)
        # Occupant presence (XEP-0045 §7.2.3) straight from the stream: slixmpp's MUC plugin marks
        # a joined room's roster entry to ignore updates, and forgets the room once it sends its
        # own leave, so neither presence_* nor groupchat_presence sees every occupant presence.
        self.register_handler(Callback('occupant presence', MatchXPath('{jabber:client}presence/{%s}x' % MUC_USER), self.on_room_presence))
        self.add_event_handler('presence_error', lambda p: emit('error', where='presence', **{'from': str(p['from'])}, condition=p['error']['condition'], text=p['error']['text']))
        self.add_event_handler('message', self.on_message)
        self.add_event_handler('message_error', lambda m: emit('error', where='message', **{'from': str(m['from'])}, condition=m['error']['condition'], text=m['error']['text']))
        self.add_event_handler('chatstate', lambda m: emit('chatstate', **{'from': m['from'].bare}, state=m['chat_state']))
        self.add_event_handler('groupchat_direct_invite', lambda m: emit('invitation', kind='XEP-0249', **{'from': m['from'].bare}, room=str(m['groupchat_invite']['jid']), reason=m['groupchat_invite']['reason']))
        self.add_event_handler('groupchat_invite', lambda m: emit('invitation', kind='mediated', **{'from': str(m['muc']['invite']['from'])}, room=m['from'].bare, reason=m['muc']['invite']['reason']))
        self.add_event_handler('groupchat_message', lambda m: emit('room_message', room=m['from'].bare, nick=m['from'].resource, body=m['body'], id=m['id']))

    async def on_start(self, _):
        await self.get_roster()
        self.send_presence()
        emit('online', jid=str(self.boundjid))

    def on_roster(self, iq):
        items = [{'jid': str(jid), 'name': item['name'], 'subscription': item['subscription'], 'ask': item['ask']}
                 for jid, item in iq['roster']['items'].items()]
        emit('roster', items=items)

    def on_presence(self, p):
        if p.xml.find('{%s}x' % MUC_USER) is None:
            emit('presence', **{'from': str(p['from'])}, type=p['type'], show=p['show'], status=p['status'])

    def on_room_presence(self, p):
        x = p.xml.find('{%s}x' % MUC_USER)
        codes = sorted(int(s.get('code')) for s in x.findall('{%s}status' % MUC_USER))
        emit('room_presence', room=p['from'].bare, nick=p['from'].resource, type=p['type'], codes=codes,
             destroyed=x.find('{%s}destroy' % MUC_USER) is not None)

    def on_message(self, m):
        if m['type'] in ('chat', 'normal') and m['body']:
            emit('message', **{'from': m['from'].bare}, body=m['body'], id=m['id'], type=m['type'])

    def run(self, c):
        cmd = c['cmd']
        if cmd == 'subscribe':  # "Add a contact": roster item plus subscription request
            self.update_roster(c['to'], name=c.get('name'))
            self.send_presence(pto=c['to'], ptype='subscribe', pstatus=c.get('status'))
        elif cmd == 'approve':
            self.send_presence(pto=c['to'], ptype='subscribed')
        elif cmd == 'unsubscribe':  # "Remove contact": cancel both ways (RFC 6121 §3.3, §3.2)
            self.send_presence(pto=c['to'], ptype='unsubscribe')
            self.send_presence(pto=c['to'], ptype='unsubscribed')
        elif cmd == 'message':
            self.send_message(mto=c['to'], mbody=c['body'], mtype='chat')
        elif cmd == 'chatstate':
            msg = self.make_message(mto=c['to'], mtype='chat')
            msg['chat_state'] = c['state']
            msg.send()
        elif cmd == 'join':
            self.plugin['xep_0045'].join_muc(c['room'], c['nick'])
        elif cmd == 'groupchat':
            self.send_message(mto=c['room'], mbody=c['body'], mtype='groupchat')
        elif cmd == 'leave':
            self.plugin['xep_0045'].leave_muc(c['room'], c['nick'])
        elif cmd == 'offline':
            self.send_presence(ptype='unavailable')
        else:
            emit('error', where='command', text=f'unknown command {cmd}')
            return
        emit('done', cmd=cmd, seq=c.get('seq'))


async def main():
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    client = None
    while True:
        line = await reader.readline()
        if not line:
            break  # the driver went away: stop like a closed client
        try:
            c = json.loads(line)
            if c['cmd'] == 'connect':
                client = Client(c['jid'], c['password'])
                client.connect((c['host'], c['port']), force_starttls=False, disable_starttls=True)
            elif c['cmd'] == 'disconnect':
                break
            elif client is None:
                emit('error', where='command', text='not connected')
            else:
                client.run(c)
        except Exception as error:  # a bad command is reported, never fatal
            emit('error', where='command', text=repr(error))
    if client is not None:
        await client.disconnect(wait=2.0)
    emit('exit')


if __name__ == '__main__':
    asyncio.run(main())
