using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Sequential.Layers;

/// <summary>
/// The hash functions behind Keras's hashing layers, so that a value lands in the same bin as in Keras:
/// <see cref="Fingerprint64(ReadOnlySpan{byte})"/> is TensorFlow's <c>Fingerprint64</c> (FarmHash's <c>farmhashna::Hash64</c>,
/// used by <c>tf.strings.to_hash_bucket_fast</c>), <see cref="SipHash24"/> is the SipHash-2-4 of
/// <c>tf.strings.to_hash_bucket_strong</c> (Keras's <c>salt</c>), and <see cref="FingerprintCat64"/> combines fingerprints
/// as <c>tf.sparse.cross_hashed</c> does.
/// </summary>
/// <remarks>
/// Written here rather than taken from a package: System.IO.Hashing has neither FarmHash nor SipHash, and the NuGet
/// FarmHash ports implement FarmHash's newer <c>Hash64</c> (farmhashxo/uo), not the frozen <c>Fingerprint64</c> that
/// TensorFlow uses. Ported from google/farmhash <c>src/farmhash.cc</c> (MIT) and TensorFlow's <c>fingerprint.h</c>.
/// Integers are hashed as Keras hashes them: their decimal text (<c>tf.as_string</c>).
/// </remarks>
internal static class KerasHash
{
    private const ulong K0 = 0xc3a5c85c97cb3127UL;
    private const ulong K1 = 0xb492b66fbe98f273UL;
    private const ulong K2 = 0x9ae16a3b2f90404fUL;

    /// <summary>TensorFlow's <c>Fingerprint64</c> of a string's UTF-8 bytes.</summary>
    /// <param name="value">The string.</param>
    /// <returns>The 64-bit fingerprint.</returns>
    public static ulong Fingerprint64(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Fingerprint64(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>TensorFlow's <c>Fingerprint64</c> (FarmHash <c>farmhashna::Hash64</c>) of bytes.</summary>
    /// <param name="s">The bytes.</param>
    /// <returns>The 64-bit fingerprint.</returns>
    public static ulong Fingerprint64(ReadOnlySpan<byte> s)
    {
        int len = s.Length;
        if (len <= 32) return len <= 16 ? HashLen0To16(s) : HashLen17To32(s);
        if (len <= 64) return HashLen33To64(s);

        const ulong seed = 81;
        ulong x = seed;
        ulong y = unchecked(seed * K1 + 113);
        ulong z = unchecked(ShiftMix(y * K2 + 113) * K2);
        (ulong First, ulong Second) v = (0, 0), w = (0, 0);
        unchecked
        {
            x = x * K2 + Fetch64(s, 0);
            int end = (len - 1) / 64 * 64;
            int last64 = end + ((len - 1) & 63) - 63;
            int p = 0;
            do
            {
                x = Rotate(x + y + v.First + Fetch64(s, p + 8), 37) * K1;
                y = Rotate(y + v.Second + Fetch64(s, p + 48), 42) * K1;
                x ^= w.Second;
                y += v.First + Fetch64(s, p + 40);
                z = Rotate(z + w.First, 33) * K1;
                v = WeakHashLen32WithSeeds(s, p, v.Second * K1, x + w.First);
                w = WeakHashLen32WithSeeds(s, p + 32, z + w.Second, y + Fetch64(s, p + 16));
                (z, x) = (x, z);
                p += 64;
            } while (p != end);
            ulong mul = K1 + ((z & 0xff) << 1);
            p = last64;
            w.First += (ulong)((len - 1) & 63);
            v.First += w.First;
            w.First += v.First;
            x = Rotate(x + y + v.First + Fetch64(s, p + 8), 37) * mul;
            y = Rotate(y + v.Second + Fetch64(s, p + 48), 42) * mul;
            x ^= w.Second * 9;
            y += v.First * 9 + Fetch64(s, p + 40);
            z = Rotate(z + w.First, 33) * mul;
            v = WeakHashLen32WithSeeds(s, p, v.Second * mul, x + w.First);
            w = WeakHashLen32WithSeeds(s, p + 32, z + w.Second, y + Fetch64(s, p + 16));
            (z, x) = (x, z);
            return HashLen16(HashLen16(v.First, w.First, mul) + ShiftMix(y) * K0 + z, HashLen16(v.Second, w.Second, mul) + x, mul);
        }
    }

    /// <summary>SipHash-2-4 with the 128-bit key <c>(k0, k1)</c>, as TensorFlow's <c>StrongKeyedHash</c> (highwayhash).</summary>
    /// <param name="k0">First key word (Keras's <c>salt[0]</c>).</param>
    /// <param name="k1">Second key word (Keras's <c>salt[1]</c>).</param>
    /// <param name="data">The bytes.</param>
    /// <returns>The 64-bit hash.</returns>
    public static ulong SipHash24(ulong k0, ulong k1, ReadOnlySpan<byte> data)
    {
        unchecked
        {
            ulong v0 = k0 ^ 0x736f6d6570736575UL, v1 = k1 ^ 0x646f72616e646f6dUL;
            ulong v2 = k0 ^ 0x6c7967656e657261UL, v3 = k1 ^ 0x7465646279746573UL;
            int whole = data.Length / 8 * 8;
            for (int i = 0; i < whole; i += 8)
            {
                ulong m = BinaryPrimitives.ReadUInt64LittleEndian(data[i..]);
                v3 ^= m;
                Round(); Round();
                v0 ^= m;
            }
            ulong b = (ulong)data.Length << 56;
            for (int i = 0; i < data.Length - whole; i++) b |= (ulong)data[whole + i] << (8 * i);
            v3 ^= b;
            Round(); Round();
            v0 ^= b;
            v2 ^= 0xff;
            Round(); Round(); Round(); Round();
            return v0 ^ v1 ^ v2 ^ v3;

            void Round()
            {
                v0 += v1; v1 = ulong.RotateLeft(v1, 13); v1 ^= v0; v0 = ulong.RotateLeft(v0, 32);
                v2 += v3; v3 = ulong.RotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = ulong.RotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = ulong.RotateLeft(v1, 17); v1 ^= v2; v2 = ulong.RotateLeft(v2, 32);
            }
        }
    }

    /// <summary>TensorFlow's <c>FingerprintCat64</c>: combines two fingerprints (order matters).</summary>
    /// <param name="fp1">The running fingerprint.</param>
    /// <param name="fp2">The fingerprint to add.</param>
    /// <returns>The combined fingerprint.</returns>
    public static ulong FingerprintCat64(ulong fp1, ulong fp2)
    {
        const ulong kMul = 0xc6a4a7935bd1e995UL;
        unchecked
        {
            ulong result = fp1 ^ kMul;
            result ^= ShiftMix(fp2 * kMul) * kMul;
            result *= kMul;
            result = ShiftMix(result) * kMul;
            return ShiftMix(result);
        }
    }

    /// <summary>
    /// The bin of a string as Keras's hashing computes it: <c>Fingerprint64 % numBins</c> without a salt
    /// (<c>to_hash_bucket_fast</c>), <c>SipHash24(salt) % numBins</c> with one (<c>to_hash_bucket_strong</c>).
    /// </summary>
    /// <param name="value">The string (integers: their decimal text, see <see cref="Text(long)"/>).</param>
    /// <param name="numBins">The number of bins, positive.</param>
    /// <param name="salt">Keras's two-word salt, or null.</param>
    /// <returns>The bin, in [0, numBins).</returns>
    public static long Bucket(string value, long numBins, (long K0, long K1)? salt = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numBins);
        var bytes = Encoding.UTF8.GetBytes(value);
        ulong hash = salt is { } key ? SipHash24((ulong)key.K0, (ulong)key.K1, bytes) : Fingerprint64(bytes);
        return (long)(hash % (ulong)numBins);
    }

    /// <summary>An integer as <c>tf.as_string</c> writes it (what Keras hashes for integer inputs).</summary>
    /// <param name="value">The integer.</param>
    /// <returns>Its decimal text.</returns>
    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static ulong Fetch64(ReadOnlySpan<byte> s, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(s[offset..]);

    private static uint Fetch32(ReadOnlySpan<byte> s, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(s[offset..]);

    private static ulong Rotate(ulong value, int shift) => ulong.RotateRight(value, shift);

    private static ulong ShiftMix(ulong value) => value ^ (value >> 47);

    private static ulong HashLen16(ulong u, ulong v, ulong mul)
    {
        unchecked
        {
            ulong a = (u ^ v) * mul;
            a ^= a >> 47;
            ulong b = (v ^ a) * mul;
            b ^= b >> 47;
            return b * mul;
        }
    }

    private static ulong HashLen0To16(ReadOnlySpan<byte> s)
    {
        int len = s.Length;
        unchecked
        {
            if (len >= 8)
            {
                ulong mul = K2 + (ulong)len * 2;
                ulong a = Fetch64(s, 0) + K2;
                ulong b = Fetch64(s, len - 8);
                ulong c = Rotate(b, 37) * mul + a;
                ulong d = (Rotate(a, 25) + b) * mul;
                return HashLen16(c, d, mul);
            }
            if (len >= 4)
            {
                ulong mul = K2 + (ulong)len * 2;
                ulong a = Fetch32(s, 0);
                return HashLen16((ulong)len + (a << 3), Fetch32(s, len - 4), mul);
            }
            if (len > 0)
            {
                byte a = s[0], b = s[len >> 1], c = s[len - 1];
                uint y = a + ((uint)b << 8);
                uint z = (uint)len + ((uint)c << 2);
                return ShiftMix(y * K2 ^ z * K0) * K2;
            }
            return K2;
        }
    }

    private static ulong HashLen17To32(ReadOnlySpan<byte> s)
    {
        int len = s.Length;
        unchecked
        {
            ulong mul = K2 + (ulong)len * 2;
            ulong a = Fetch64(s, 0) * K1;
            ulong b = Fetch64(s, 8);
            ulong c = Fetch64(s, len - 8) * mul;
            ulong d = Fetch64(s, len - 16) * K2;
            return HashLen16(Rotate(a + b, 43) + Rotate(c, 30) + d, a + Rotate(b + K2, 18) + c, mul);
        }
    }

    private static ulong HashLen33To64(ReadOnlySpan<byte> s)
    {
        int len = s.Length;
        unchecked
        {
            ulong mul = K2 + (ulong)len * 2;
            ulong a = Fetch64(s, 0) * K2;
            ulong b = Fetch64(s, 8);
            ulong c = Fetch64(s, len - 8) * mul;
            ulong d = Fetch64(s, len - 16) * K2;
            ulong y = Rotate(a + b, 43) + Rotate(c, 30) + d;
            ulong z = HashLen16(y, a + Rotate(b + K2, 18) + c, mul);
            ulong e = Fetch64(s, 16) * mul;
            ulong f = Fetch64(s, 24);
            ulong g = (y + Fetch64(s, len - 32)) * mul;
            ulong h = (z + Fetch64(s, len - 24)) * mul;
            return HashLen16(Rotate(e + f, 43) + Rotate(g, 30) + h, e + Rotate(f + a, 18) + g, mul);
        }
    }

    private static (ulong, ulong) WeakHashLen32WithSeeds(ReadOnlySpan<byte> s, int offset, ulong a, ulong b)
    {
        unchecked
        {
            ulong w = Fetch64(s, offset), x = Fetch64(s, offset + 8), y = Fetch64(s, offset + 16), z = Fetch64(s, offset + 24);
            a += w;
            b = Rotate(b + a + z, 21);
            ulong c = a;
            a += x;
            a += y;
            b += Rotate(a, 44);
            return (a + z, b + c);
        }
    }
}
