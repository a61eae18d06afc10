using System.Numerics;
using Primitives.Crypto;

namespace Primitives.Tests.Crypto;

public sealed class Secp256k1CurveTests
{
    private static BigInteger Order => new(Secp256k1Curve.Order, isUnsigned: true, isBigEndian: true);

    [Fact]
    public void HalfOrder_IsTheFloorOfHalfTheOrder()
    {
        Assert.Equal(BigInteger.Parse("115792089237316195423570985008687907852837564279074904382605163141518161494337", System.Globalization.CultureInfo.InvariantCulture), Order);
        Assert.Equal(Order / 2, new BigInteger(Secp256k1Curve.HalfOrder, isUnsigned: true, isBigEndian: true));
    }

    [Fact]
    public void PrivateKeys_AreOneToOrderMinusOne()
    {
        var one = new byte[32];
        one[31] = 1;
        var orderMinusOne = Secp256k1Curve.Order.ToArray();
        orderMinusOne[31]--;

        Assert.True(Secp256k1Curve.IsPrivateKey(one));
        Assert.True(Secp256k1Curve.IsPrivateKey(orderMinusOne));
        Assert.False(Secp256k1Curve.IsPrivateKey(new byte[32]));
        Assert.False(Secp256k1Curve.IsPrivateKey(Secp256k1Curve.Order));
        Assert.False(Secp256k1Curve.IsPrivateKey(one.AsSpan(1)));
    }
}
