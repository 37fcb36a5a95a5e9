#!/usr/bin/python3
# tests/host/authflood.py: a flood of logins with a key the server verifies,
# for an account jumpd refuses (the spool suite's locked account): each try
# is a real SSH connection (Debian's asyncssh) that offers the key and is
# refused. Spread over the given source addresses, CONC at once each, for
# SECONDS, the key offered PER_CONN times a connection. Prints "CONNECTIONS
# REFUSED" (refused: PermissionDenied, as expected).
# Usage: authflood.py HOST USER KEY SECONDS CONC SRC[,SRC...] [PER_CONN]
import asyncio, sys, time, warnings

warnings.filterwarnings("ignore")
import asyncssh  # noqa: E402

host, user, keyfile, secs, conc, srcs = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5]), sys.argv[6].split(",")
per_conn = int(sys.argv[7]) if len(sys.argv) > 7 else 1  # the key offered this often per connection (Dropbear allows 10 tries)
key = asyncssh.read_private_key(keyfile)
tries = refused = 0


async def worker(src, end):
    global tries, refused
    while time.time() < end:
        tries += 1
        try:
            conn = await asyncio.wait_for(asyncssh.connect(
                host, 22, username=user, client_keys=[key] * per_conn, known_hosts=None, local_addr=(src, 0),
                preferred_auth="publickey", agent_path=None), 10)
            conn.close()
        except asyncssh.PermissionDenied:
            refused += 1
        except (OSError, asyncssh.Error, asyncio.TimeoutError):
            await asyncio.sleep(0.05)


async def main():
    end = time.time() + secs
    await asyncio.gather(*(worker(s, end) for s in srcs for _ in range(conc)))

asyncio.run(main())
print(tries, refused)
